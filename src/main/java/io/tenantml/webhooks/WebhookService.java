package io.tenantml.webhooks;

import io.tenantml.audit.Audit;
import io.tenantml.events.EventType;
import io.tenantml.events.TenantEvents;
import io.tenantml.security.CurrentPrincipal;
import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.TimeOrderedIds;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.webhooks.internal.DeliveryStore;
import io.tenantml.webhooks.internal.SecretCipher;
import io.tenantml.webhooks.internal.UrlGuard;
import io.tenantml.webhooks.internal.WebhookEndpointEntity;
import io.tenantml.webhooks.internal.WebhookSecrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A tenant's webhook endpoints and their deliveries; works on the tenant in context only. */
@ApplicationScoped
public class WebhookService {

    @Inject
    TenantContext tenantContext;

    @Inject
    CurrentPrincipal principal;

    @Inject
    UrlGuard guard;

    @Inject
    DeliveryStore deliveries;

    @Inject
    TenantEvents events;

    @Inject
    WebhookSecrets secrets;

    @Inject
    ClusterEvents cluster;

    @Inject
    WebhooksConfig config;

    @Inject
    Audit audit;

    @Inject
    Clock clock;

    /**
     * Registers an endpoint. The URL is checked against the request-forgery guard now (and again before every
     * attempt); a secret is generated when none is given. The secret is stored encrypted, bound to the tenant and
     * to the endpoint's id (made here, before the insert); this answer is the only place it is in clear.
     */
    @Transactional
    public CreatedWebhook create(NewWebhook request) {
        TenantId tenant = tenantContext.require();
        List<String> types = eventTypes(request.events());
        try {
            guard.check(request.url());
        } catch (UrlGuard.Refused e) {
            throw invalid("invalid-webhook-url", e.getMessage(), "url");
        }
        String secret = request.secret() == null ? StandardWebhooks.newSecret() : request.secret();
        try {
            StandardWebhooks.key(secret);
        } catch (IllegalArgumentException e) {
            throw invalid("invalid-webhook-secret", e.getMessage(), "secret");
        }
        long count = WebhookEndpointEntity.count();
        if (count >= config.maxEndpoints()) {
            throw ProblemException.conflict(
                    "too-many-webhooks", "a tenant may register " + config.maxEndpoints() + " webhook endpoints");
        }
        WebhookEndpointEntity e = new WebhookEndpointEntity();
        e.id = TimeOrderedIds.next();
        e.url = request.url();
        e.events = types;
        e.secret = secrets.seal(secret, tenant, e.id);
        e.enabled = true;
        e.createdAt = clock.instant();
        e.createdBy = principal.actor();
        e.persist();
        return new CreatedWebhook(e.id, e.url, typed(e.events), e.enabled, e.createdAt, e.createdBy, secret);
    }

    /** The tenant's endpoints, oldest first (ids are time-ordered). */
    public Page<WebhookView> list(PageRequest page) {
        tenantContext.require();
        List<String> after = page.after("webhooks", 1);
        List<WebhookEndpointEntity> rows = after == null
                ? WebhookEndpointEntity.<WebhookEndpointEntity>find("order by id")
                        .range(0, page.fetchSize() - 1)
                        .list()
                : WebhookEndpointEntity.<WebhookEndpointEntity>find(
                                "id > ?1 order by id", PageRequest.value(after.get(0), UUID::fromString))
                        .range(0, page.fetchSize() - 1)
                        .list();
        return page.page(rows.stream().map(this::view).toList(), "webhooks", w -> List.of(w.id().toString()));
    }

    public WebhookView get(String id) {
        return view(entity(id));
    }

    @Transactional
    public void delete(String id) {
        entity(id).delete();
    }

    /** Enables a disabled endpoint again, its run of failures forgotten. */
    @Transactional
    public WebhookView enable(String id) {
        WebhookEndpointEntity e = entity(id);
        e.enabled = true;
        e.disabledReason = null;
        e.consecutiveFailures = 0;
        cluster.publish(TenantEvents.PUBLISHED, tenantContext.require().value());
        return view(e);
    }

    /**
     * Replaces the endpoint's signing secret with a new one, shown only in this answer. The secret it replaces keeps
     * signing beside it for the overlap (every delivery carries both signatures, the new one first), so the receiver
     * can switch at its own pace; PT0S switches at once. At most two secrets sign: a rotation during an overlap makes
     * the current secret the previous one and drops the older previous secret at once, which is what a tenant
     * rotating again because the last new secret leaked needs (keeping three would need a list, and a
     * receiver that is two rotations behind has missed a whole overlap already). The row is locked, so that two
     * rotations at once cannot both answer a secret of which only one is stored. On the audit trail, in this
     * transaction, without any secret.
     *
     * @throws ProblemException 400 naming {@code overlap} when it is not an ISO-8601 duration from 0 to the maximum;
     *     409 when an overlap is asked for but the current secret cannot be read (it signs nothing now anyway)
     */
    @Transactional
    public RotatedSecret rotateSecret(String id, SecretRotation request) {
        Duration overlap = overlap(request);
        WebhookEndpointEntity e = entity(id, LockModeType.PESSIMISTIC_WRITE);
        TenantId tenant = tenantContext.require();
        Instant now = clock.instant();
        String secret = StandardWebhooks.newSecret();
        Instant until = now.plus(overlap);
        if (overlap.isZero()) {
            e.previousSecret = null;
            e.previousSecretExpiresAt = null;
        } else {
            String replaced;
            try {
                replaced = secrets.open(e.secret, tenant, e.id);
            } catch (SecretCipher.Unreadable ex) {
                throw ProblemException.conflict(
                        "webhook-secret-unreadable",
                        "the current signing secret of webhook " + e.id + " cannot be read (" + ex.reason()
                                + "), so it cannot sign beside the new one; rotate with overlap PT0S to replace it"
                                + " at once");
            }
            e.previousSecret = secrets.sealPrevious(replaced, tenant, e.id, until);
            e.previousSecretExpiresAt = until;
        }
        e.secret = secrets.seal(secret, tenant, e.id);
        audit.record(
                "webhook.secret.rotated",
                "webhook=" + e.id,
                Audit.summary("overlap", overlap.toString(), "previousSecretExpiresAt", until.toString()));
        return new RotatedSecret(e.id, secret, now, until);
    }

    private Duration overlap(SecretRotation request) {
        Duration max = config.maxSecretRotationOverlap();
        if (request.overlap() == null) {
            return config.secretRotationOverlap().compareTo(max) > 0 ? max : config.secretRotationOverlap();
        }
        Duration overlap;
        try {
            overlap = Duration.parse(request.overlap());
        } catch (DateTimeParseException ex) {
            throw badRotation("overlap must be an ISO-8601 duration such as PT24H; was '" + request.overlap() + "'");
        }
        if (overlap.isNegative()) {
            throw badRotation("overlap must not be negative; was " + request.overlap());
        }
        if (overlap.compareTo(max) > 0) {
            throw badRotation("overlap must be at most " + max + "; was " + request.overlap());
        }
        return overlap;
    }

    private static ProblemException badRotation(String detail) {
        return ProblemException.badField("invalid-secret-rotation", "overlap", detail);
    }

    /** Sends a {@code test} event to this endpoint alone, now. */
    @Transactional
    public DeliveryView test(String id) {
        WebhookEndpointEntity e = entity(id);
        TenantId tenant = tenantContext.require();
        UUID event = events.record(
                EventType.TEST, Map.of("webhook", e.id.toString(), "message", "a test event sent on request"));
        Instant now = clock.instant();
        try {
            UUID delivery = deliveries.insert(tenant, e.id, event, now, now.plus(config.retryFor()));
            cluster.publish(TenantEvents.PUBLISHED, tenant.value());
            return deliveries.view(tenant, e.id, delivery).orElseThrow();
        } catch (SQLException ex) {
            throw new IllegalStateException("test event could not be queued", ex);
        }
    }

    /** An endpoint's deliveries, oldest first. */
    public Page<DeliveryView> deliveries(String id, PageRequest page) {
        List<String> after = page.after("webhook-deliveries", 2);
        Instant afterAt = after == null ? null : PageRequest.instant(after.get(0));
        UUID afterId = after == null ? null : PageRequest.value(after.get(1), UUID::fromString);
        WebhookEndpointEntity e = entity(id);
        try {
            List<DeliveryView> rows =
                    deliveries.page(tenantContext.require(), e.id, afterAt, afterId, page.fetchSize());
            return page.page(
                    rows, "webhook-deliveries", d -> List.of(d.createdAt().toString(), d.id().toString()));
        } catch (SQLException ex) {
            throw new IllegalStateException("deliveries could not be read", ex);
        }
    }

    /**
     * Sends a delivery again, with the same event id: pending, due now, retried for another retry-for.
     *
     * @throws ProblemException 409 while the endpoint is disabled
     */
    @Transactional
    public DeliveryView redeliver(String id, String delivery) {
        WebhookEndpointEntity e = entity(id);
        TenantId tenant = tenantContext.require();
        UUID deliveryId = uuid(delivery).orElseThrow(() -> noDelivery(delivery));
        if (!e.enabled) {
            throw ProblemException.conflict(
                    "webhook-disabled", "webhook " + e.id + " is disabled (" + e.disabledReason + "); enable it first");
        }
        Instant now = clock.instant();
        try {
            if (!deliveries.redeliver(tenant, e.id, deliveryId, now, now.plus(config.retryFor()))) {
                throw noDelivery(delivery);
            }
            cluster.publish(TenantEvents.PUBLISHED, tenant.value());
            return deliveries.view(tenant, e.id, deliveryId).orElseThrow();
        } catch (SQLException ex) {
            throw new IllegalStateException("delivery could not be queued again", ex);
        }
    }

    private static ProblemException noDelivery(String delivery) {
        return ProblemException.notFound("no delivery '" + delivery + "' of this webhook");
    }

    private static List<String> eventTypes(List<String> requested) {
        LinkedHashSet<String> types = new LinkedHashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            String wire = requested.get(i);
            EventType type = wire == null ? null : EventType.ofWire(wire).orElse(null);
            if (type == null || !type.subscribable()) {
                throw invalid(
                        "invalid-webhook-events",
                        "events[" + i + "] '" + wire + "' is not an event type one can subscribe to; known: "
                                + subscribable(),
                        "events[" + i + "]");
            }
            types.add(type.wireName());
        }
        return new ArrayList<>(types);
    }

    /** The column holds wire names, checked by {@link #eventTypes} before they were stored. */
    private static List<EventType> typed(List<String> stored) {
        return stored.stream().map(EventType::fromWire).toList();
    }

    private static List<String> subscribable() {
        List<String> names = new ArrayList<>();
        for (EventType t : EventType.values()) {
            if (t.subscribable()) {
                names.add(t.wireName());
            }
        }
        return names;
    }

    private static ProblemException invalid(String slug, String detail, String field) {
        return ProblemException.unprocessableField(slug, field, detail);
    }

    private WebhookEndpointEntity entity(String id) {
        return entity(id, LockModeType.NONE);
    }

    private WebhookEndpointEntity entity(String id, LockModeType lock) {
        tenantContext.require();
        java.util.Optional<UUID> u = uuid(id);
        WebhookEndpointEntity e = u.isEmpty()
                ? null
                : WebhookEndpointEntity.<WebhookEndpointEntity>find("id", u.get())
                        .withLock(lock)
                        .firstResult();
        if (e == null) {
            throw ProblemException.notFound("no webhook '" + id + "'");
        }
        return e;
    }

    private static java.util.Optional<UUID> uuid(String text) {
        try {
            return java.util.Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            return java.util.Optional.empty();
        }
    }

    private WebhookView view(WebhookEndpointEntity e) {
        // an expired previous secret the job has not swept yet signs nothing: not shown
        Instant previousUntil =
                e.previousSecretExpiresAt != null && clock.instant().isBefore(e.previousSecretExpiresAt)
                        ? e.previousSecretExpiresAt
                        : null;
        return new WebhookView(
                e.id,
                e.url,
                typed(e.events),
                e.enabled,
                e.disabledReason,
                e.consecutiveFailures,
                e.createdAt,
                e.createdBy,
                previousUntil);
    }
}
