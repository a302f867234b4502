package io.tenantml.monitoring;

import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TimeParameters;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Feedback on logged predictions (labels for realised performance). Idempotent per prediction: the row is keyed by the prediction id and
 * upserted, so a repeat replaces the label (last wins) and never adds a second row.
 */
@ApplicationScoped
public class FeedbackService {

    /** Most items in one feedback request, so that one call stays one short transaction. */
    public static final int MAX_ITEMS = 10_000;

    // Explicit tenant_id on both sides: an id of another tenant can neither be inserted (it is never "known")
    // nor overwritten (the update only applies to the same tenant's row).
    private static final String UPSERT =
            "insert into prediction_feedback (prediction_id, tenant_id, model, label, value, "
                    + "observed_at, received_at) values (:id, :tenant, :model, :label, :value, :observed, :received) "
                    + "on conflict (prediction_id) do update set label = excluded.label, value = excluded.value, "
                    + "observed_at = excluded.observed_at, received_at = excluded.received_at "
                    + "where prediction_feedback.tenant_id = excluded.tenant_id";

    @Inject
    TenantContext tenant;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Transactional
    public FeedbackReceipt submit(String model, List<FeedbackItem> items) {
        String tenantId = tenant.require().value();
        validate(items);
        Map<UUID, FeedbackItem> latest = new LinkedHashMap<>();
        items.forEach(item -> latest.put(item.predictionId(), item));
        // Explicit tenant: the log is no entity. The BRIN index on the (time-ordered) id keeps this to a few
        // block ranges per partition.
        @SuppressWarnings("unchecked")
        List<UUID> found = em.createNativeQuery(
                        "select id from prediction_log where tenant_id = :tenant and model = :model "
                                + "and id = any(cast(:ids as uuid[]))",
                        UUID.class)
                .setParameter("tenant", tenantId)
                .setParameter("model", model)
                .setParameter("ids", latest.keySet().toArray(UUID[]::new))
                .getResultList();
        Set<UUID> known = new HashSet<>(found);
        List<UUID> unknown = new ArrayList<>();
        Instant now = clock.instant();
        int accepted = 0;
        for (FeedbackItem item : latest.values()) {
            if (!known.contains(item.predictionId())) {
                unknown.add(item.predictionId());
                continue;
            }
            em.createNativeQuery(UPSERT)
                    .setParameter("id", item.predictionId())
                    .setParameter("tenant", tenantId)
                    .setParameter("model", model)
                    .setParameter("label", item.label())
                    .setParameter("value", item.value())
                    .setParameter("observed", item.observedAt() == null ? now : item.observedAt())
                    .setParameter("received", now)
                    .executeUpdate();
            accepted++;
        }
        return new FeedbackReceipt(accepted, List.copyOf(unknown));
    }

    private static void validate(List<FeedbackItem> items) {
        if (items == null || items.isEmpty()) {
            throw ProblemException.badRequest("invalid-feedback", "feedback must be a non-empty array");
        }
        if (items.size() > MAX_ITEMS) {
            throw ProblemException.tooLarge(
                    "too-much-feedback", "at most " + MAX_ITEMS + " feedback items per request");
        }
        for (int i = 0; i < items.size(); i++) {
            String problem = problemOf(items.get(i));
            if (problem != null) {
                throw new ProblemException(
                        Problem.of(400, "invalid-feedback", "Bad request", "feedback item " + i + " " + problem)
                                .with("index", i));
            }
        }
    }

    /** What is wrong with one feedback item, or null when nothing is. */
    private static String problemOf(FeedbackItem item) {
        if (item == null) {
            return "must be an object";
        }
        if (item.predictionId() == null) {
            return "needs a predictionId";
        }
        if ((item.label() == null) == (item.value() == null)) {
            return "needs exactly one of label or value";
        }
        if (item.value() != null && !Double.isFinite(item.value())) {
            return "value must be finite";
        }
        if (item.observedAt() != null && !TimeParameters.isSupported(item.observedAt())) {
            return "observedAt must lie between the years 0001 and 9999";
        }
        return null;
    }
}
