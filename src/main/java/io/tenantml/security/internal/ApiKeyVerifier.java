package io.tenantml.security.internal;

import io.tenantml.security.ApiKeyService;
import io.tenantml.security.CredentialVerifier;
import io.tenantml.security.JwtShape;
import io.tenantml.security.PlatformPrincipal;
import io.tenantml.security.SecurityConfig;
import io.tenantml.shared.Role;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.cluster.ClusterConfig;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.shared.cluster.InvalidatedCache;
import io.tenantml.tenancy.TenantService;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Verifies platform API keys and the bootstrap operator secret. Any bearer token that is not shaped like
 * a JWT is ours to judge. A key whose checksum does not match is refused before any database access.
 */
@ApplicationScoped
public class ApiKeyVerifier implements CredentialVerifier {

    private static final Logger LOG = Logger.getLogger(ApiKeyVerifier.class);

    /** last_used_at is advisory; writing it on every request would turn every read into a write. */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final KeyHasher hasher;
    private final CredentialStore store;
    private final SecurityConfig config;
    private final Clock clock;
    private final ClusterEvents cluster;
    private final ClusterConfig clusterConfig;
    private byte[] bootstrapHash;
    /**
     * Tenant keys that verified, by hash (hex). Every request would otherwise make a database round trip
     * before any work; revocation and offboarding invalidate entries on every node (see ClusterEvents), so
     * a revoked key is refused by the next request, as without the cache. Unknown keys are not cached.
     */
    private InvalidatedCache<String, CredentialStore.KeyRecord> tenantKeys;

    @Inject
    public ApiKeyVerifier(
            KeyHasher hasher,
            CredentialStore store,
            SecurityConfig config,
            Clock clock,
            ClusterEvents cluster,
            ClusterConfig clusterConfig) {
        this.hasher = hasher;
        this.cluster = cluster;
        this.clusterConfig = clusterConfig;
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    @PostConstruct
    void init() {
        bootstrapHash = config.bootstrapOperatorKey().map(hasher::hash).orElse(null);
        tenantKeys = new InvalidatedCache<>(cluster, clusterConfig);
        cluster.subscribe(
                ApiKeyService.KEY_REVOKED,
                id -> tenantKeys.invalidateIf(k -> k.id().toString().equals(id)));
        cluster.subscribe(
                TenantService.TENANT_DELETED,
                tenant -> tenantKeys.invalidateIf(k -> k.tenantId().equals(tenant)));
    }

    @Override
    public boolean accepts(String bearerToken) {
        return !JwtShape.matches(bearerToken);
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public Optional<Verification> verifyInMemory(String token) {
        byte[] hash = hasher.hash(token);
        if (bootstrapHash != null && token.length() >= 32 && KeyHasher.same(bootstrapHash, hash)) {
            return Optional.of(Verification.verified(
                    new PlatformPrincipal(Role.OPERATOR, Optional.empty(), "bootstrap", "bootstrap")));
        }
        if (!ApiKeyCodec.isWellFormed(token)) {
            return Optional.of(Verification.rejected("the API key is malformed or mistyped (checksum mismatch)"));
        }
        CredentialStore.KeyRecord key = tenantKeys.getIfPresent(cacheKey(hash));
        Instant now = clock.instant();
        if (key == null || (key.worksAt(now) && needsTouch(key, now))) {
            return Optional.empty();
        }
        return Optional.of(judge(key, now));
    }

    @Override
    public Verification verify(String token) {
        return verifyInMemory(token).orElseGet(() -> verifyStored(hasher.hash(token)));
    }

    /** A well-formed key that memory could not judge: the stored tenant or operator key decides. */
    private Verification verifyStored(byte[] hash) {
        String cacheKey = cacheKey(hash);
        CredentialStore.KeyRecord key =
                tenantKeys.get(cacheKey, k -> store.findTenantKey(hash).orElse(null));
        if (key != null) {
            Instant now = clock.instant();
            if (key.worksAt(now) && needsTouch(key, now)) {
                try {
                    store.touch(key, now);
                    tenantKeys.refresh(cacheKey, key.usedAt(now));
                } catch (IllegalStateException e) {
                    // last_used_at is informative: a database outage (the key came from the cache, within
                    // the outage grace) must not turn a valid key into a failed request.
                    LOG.debugf("could not record the use of key %s: %s", key.id(), e.getMessage());
                }
            }
            return judge(key, now);
        }
        return store.findOperatorKey(hash)
                .filter(k -> k.revokedAt() == null)
                .map(k -> Verification.verified(
                        new PlatformPrincipal(Role.OPERATOR, Optional.empty(), "key:" + k.id(), "api-key")))
                .orElseGet(() -> Verification.rejected("unknown API key"));
    }

    private static String cacheKey(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }

    private static boolean needsTouch(CredentialStore.KeyRecord key, Instant now) {
        return key.lastUsedAt() == null || key.lastUsedAt().isBefore(now.minus(TOUCH_INTERVAL));
    }

    private static Verification judge(CredentialStore.KeyRecord key, Instant now) {
        if (key.revokedAt() != null) {
            return Verification.rejected("the API key was revoked");
        }
        // judged on every request, cached or not: the cache holds the end with the key
        if (key.expiredAt(now)) {
            return Verification.rejected("the API key expired at " + key.expiresAt());
        }
        return Verification.verified(new PlatformPrincipal(
                Role.fromWire(key.role()), Optional.of(new TenantId(key.tenantId())), "key:" + key.id(), "api-key"));
    }
}
