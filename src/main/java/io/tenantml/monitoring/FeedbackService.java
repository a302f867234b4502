package io.tenantml.monitoring;

import io.tenantml.model.TargetEncoding;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.Texts;
import io.tenantml.shared.TimeOrderedIds;
import io.tenantml.shared.TimeParameters;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Feedback on logged predictions (labels for realised performance). Idempotent per prediction: the row is keyed by the prediction id and
 * upserted, so a repeat replaces the label (last wins) and never adds a second row.
 */
@ApplicationScoped
public class FeedbackService {

    /** Most items in one feedback request, so that one call stays one short transaction. */
    public static final int MAX_ITEMS = 10_000;

    /**
     * How long after its prediction an id missing from the log is reported as pending rather than only unknown:
     * the log's writer runs every {@code flush-interval} (0.2 s), on every node, so a few seconds cover a busy
     * writer and clocks a little apart.
     */
    public static final Duration PENDING_WINDOW = Duration.ofSeconds(10);

    /** Longest a request waits for this node's log writer to write what it holds. */
    private static final Duration LOG_CATCH_UP = Duration.ofSeconds(2);

    /** How far in the future an observedAt may lie, for clocks a little apart. */
    static final Duration OBSERVED_AT_SKEW = Duration.ofMinutes(5);

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

    @Inject
    PredictionLog log;

    @Inject
    ModelRegistry registry;

    @Transactional
    public FeedbackReceipt submit(String model, List<FeedbackItem> items) {
        String tenantId = tenant.require().value();
        Instant now = clock.instant();
        validate(items, now);
        Map<UUID, FeedbackItem> latest = new LinkedHashMap<>();
        items.forEach(item -> latest.put(item.predictionId(), item));
        Map<UUID, Integer> known = logged(tenantId, model, latest.keySet());
        List<UUID> recentlyMissing = latest.keySet().stream()
                .filter(id -> !known.containsKey(id) && mintedWithin(id, now, PENDING_WINDOW))
                .toList();
        // A client that sends feedback right after its prediction (the feedback of an automated check, a test)
        // would otherwise race this node's log writer and find its prediction unknown.
        if (!recentlyMissing.isEmpty() && writeLogNow()) {
            known.putAll(logged(tenantId, model, recentlyMissing));
        }
        List<UUID> pending =
                recentlyMissing.stream().filter(id -> !known.containsKey(id)).toList();
        List<UUID> unknown = new ArrayList<>();
        List<FeedbackReceipt.UnusableFeedback> unusable = new ArrayList<>();
        Map<Integer, Optional<TargetEncoding>> targets = new HashMap<>();
        int accepted = 0;
        for (FeedbackItem item : latest.values()) {
            Integer version = known.get(item.predictionId());
            if (version == null) {
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
            Optional<TargetEncoding> target = targets.computeIfAbsent(version, v -> target(model, v));
            if (target.isPresent() && target.get().feedbackLabel(item.label(), item.value()) == null) {
                unusable.add(new FeedbackReceipt.UnusableFeedback(
                        item.predictionId(),
                        version,
                        (item.label() != null
                                        ? "label '" + Texts.cut(item.label(), 100) + "'"
                                        : "value " + item.value())
                                + " is no outcome version " + version + " can read; it takes "
                                + target.get().feedbackTakes()));
            }
        }
        return new FeedbackReceipt(accepted, List.copyOf(unknown), pending, List.copyOf(unusable));
    }

    /** How a version reads its outcomes; empty for one the registry does not hold (nothing to check it against). */
    private Optional<TargetEncoding> target(String model, int version) {
        return registry.hasVersion(model, version)
                ? Optional.ofNullable(registry.version(model, version).target())
                : Optional.empty();
    }

    /** Those of {@code ids} that are this model's predictions in the tenant's log, with the version of each. */
    private Map<UUID, Integer> logged(String tenantId, String model, Collection<UUID> ids) {
        // Explicit tenant: the log is no entity. The BRIN index on the (time-ordered) id keeps this to a few
        // block ranges per partition.
        @SuppressWarnings("unchecked")
        List<Object[]> found = em.createNativeQuery(
                        "select id, version from prediction_log where tenant_id = :tenant and model = :model "
                                + "and id = any(cast(:ids as uuid[]))")
                .setParameter("tenant", tenantId)
                .setParameter("model", model)
                .setParameter("ids", ids.toArray(UUID[]::new))
                .getResultList();
        Map<UUID, Integer> versions = new HashMap<>();
        for (Object[] row : found) {
            versions.put((UUID) row[0], ((Number) row[1]).intValue());
        }
        return versions;
    }

    /** Waits for this node's log writer; false when it could not catch up in time (the ids stay pending). */
    private boolean writeLogNow() {
        try {
            return log.flush(LOG_CATCH_UP);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether a prediction id (a {@link TimeOrderedIds} id) was minted within {@code window} of {@code now}. */
    static boolean mintedWithin(UUID id, Instant now, Duration window) {
        return TimeOrderedIds.mintedAt(id)
                .map(minted -> Duration.between(minted, now).abs().compareTo(window) <= 0)
                .orElse(false);
    }

    private static void validate(List<FeedbackItem> items, Instant now) {
        if (items == null || items.isEmpty()) {
            throw ProblemException.badRequest("invalid-feedback", "feedback must be a non-empty array");
        }
        if (items.size() > MAX_ITEMS) {
            throw ProblemException.tooLarge(
                    "too-much-feedback", "at most " + MAX_ITEMS + " feedback items per request");
        }
        for (int i = 0; i < items.size(); i++) {
            String problem = problemOf(items.get(i), now);
            if (problem != null) {
                throw new ProblemException(
                        Problem.of(400, "invalid-feedback", "Bad request", "feedback item " + i + " " + problem)
                                .with("index", i));
            }
        }
    }

    /** What is wrong with one feedback item, or null when nothing is. */
    private static String problemOf(FeedbackItem item, Instant now) {
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
        if (item.observedAt() != null && item.observedAt().isAfter(now.plus(OBSERVED_AT_SKEW))) {
            return "observedAt " + item.observedAt() + " is in the future: an outcome is observed before it is"
                    + " reported";
        }
        return null;
    }
}
