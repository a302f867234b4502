package io.tenantml.security;

import io.tenantml.security.internal.ApiKeyCodec;
import io.tenantml.security.internal.ApiKeyEntity;
import io.tenantml.security.internal.KeyHasher;
import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.Role;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Issues, lists and revokes a tenant's API keys. Works on the tenant in context only. */
@ApplicationScoped
public class ApiKeyService {

    /** Cluster event: an API key (payload: its id) was revoked; verifiers drop it from their caches. */
    public static final String KEY_REVOKED = "api-key-revoked";

    /** The longest a key may be issued for when it is issued with an end: a longer end is a typo for none. */
    public static final int MAX_LIFETIME_DAYS = 3 * 366;

    /** The shortest: a key that ends sooner could not even be stored and handed over before it ends. */
    static final Duration MIN_LIFETIME = Duration.ofMinutes(1);

    private final ApiKeyCodec codec = new ApiKeyCodec(new SecureRandom());

    @Inject
    ClusterEvents cluster;

    @Inject
    KeyHasher hasher;

    @Inject
    TenantContext tenantContext;

    @Inject
    CurrentPrincipal principal;

    @Inject
    Clock clock;

    @Inject
    jakarta.enterprise.inject.Instance<KeyIssuanceCheck> issuanceChecks;

    @Transactional
    public IssuedApiKey issue(NewApiKey request) {
        TenantId tenant = tenantContext.require();
        if (request.role() == Role.OPERATOR) {
            throw ProblemException.badField(
                    "invalid-role", "role", "role: a tenant key can be 'admin' or 'integration', not 'operator'");
        }
        Instant now = now();
        checkExpiry(request.expiresAt(), now);
        // counted by the check, not here: a count read before the check's lock let a burst of issues through
        for (KeyIssuanceCheck check : issuanceChecks) {
            check.beforeIssue(request.role(), () -> activeKeys(request.role()));
        }
        String key = codec.newKey();
        ApiKeyEntity entity = new ApiKeyEntity();
        entity.id = UUID.randomUUID();
        entity.name = request.name();
        entity.role = request.role().wireName();
        entity.prefix = ApiKeyCodec.displayPrefix(key);
        entity.keyHash = hasher.hash(key);
        entity.createdAt = now;
        entity.createdBy = principal.actor();
        entity.expiresAt =
                request.expiresAt() == null ? null : request.expiresAt().truncatedTo(ChronoUnit.MICROS);
        entity.persist();
        assert entity.tenantId == null || entity.tenantId.equals(tenant.value());
        return new IssuedApiKey(
                entity.id, entity.name, request.role(), entity.prefix, key, entity.createdAt, entity.expiresAt);
    }

    private static void checkExpiry(Instant expiresAt, Instant now) {
        if (expiresAt == null) {
            return;
        }
        if (expiresAt.isBefore(now.plus(MIN_LIFETIME))) {
            throw ProblemException.badField(
                    "invalid-key-expiry",
                    "expiresAt",
                    "expiresAt " + expiresAt + " is not at least " + MIN_LIFETIME.toMinutes() + " minute ahead (now: "
                            + now + ")");
        }
        if (expiresAt.isAfter(now.plus(Duration.ofDays(MAX_LIFETIME_DAYS)))) {
            throw ProblemException.badField(
                    "invalid-key-expiry",
                    "expiresAt",
                    "expiresAt " + expiresAt + " is more than " + MAX_LIFETIME_DAYS
                            + " days ahead; leave it out for a key that works until it is revoked");
        }
    }

    /** How many keys of {@code role} the tenant has that work: neither revoked nor expired. */
    public long activeKeys(Role role) {
        return ApiKeyEntity.count(
                "role = ?1 and revokedAt is null and (expiresAt is null or expiresAt > ?2)", role.wireName(), now());
    }

    /** The tenant's keys, oldest first; ties of creation time broken by id (index {@code api_key_page}). */
    public Page<ApiKeyView> list(PageRequest page) {
        tenantContext.require();
        List<String> after = page.after("api-keys", 2);
        List<ApiKeyEntity> rows = after == null
                ? ApiKeyEntity.<ApiKeyEntity>find("order by createdAt, id")
                        .range(0, page.limit())
                        .list()
                : ApiKeyEntity.<ApiKeyEntity>find(
                                "createdAt > ?1 or (createdAt = ?1 and id > ?2) order by createdAt, id",
                                PageRequest.instant(after.get(0)),
                                PageRequest.value(after.get(1), UUID::fromString))
                        .range(0, page.limit())
                        .list();
        return page.page(
                rows.stream().map(ApiKeyService::view).toList(),
                "api-keys",
                k -> List.of(k.createdAt().toString(), k.id().toString()));
    }

    @Transactional
    public void revoke(UUID id) {
        tenantContext.require();
        // A query, not findById: queries always carry the tenant restriction, loads by id may come from
        // the persistence context without one.
        ApiKeyEntity entity = ApiKeyEntity.<ApiKeyEntity>find("id", id).firstResult();
        if (entity == null) {
            throw ProblemException.notFound("No API key " + id);
        }
        if (entity.revokedAt == null) {
            entity.revokedAt = now();
            cluster.publish(KEY_REVOKED, entity.id.toString());
        }
    }

    private Instant now() {
        return clock.instant();
    }

    private static ApiKeyView view(ApiKeyEntity e) {
        return new ApiKeyView(
                e.id,
                e.name,
                Role.fromWire(e.role),
                e.prefix,
                e.createdAt,
                e.createdBy,
                e.lastUsedAt,
                e.revokedAt,
                e.expiresAt);
    }
}
