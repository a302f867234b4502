package io.tenantml.training;

import io.tenantml.registry.ModelVersionSummary;
import java.time.Instant;
import java.util.Map;

/**
 * A model spec as returned by the API, with the version each alias points to, a summary of the version in production
 * (so that a list of models shows how each one does without a call per model; absent while no version is in
 * production) and, for a scheduled model, when it retrains next.
 */
public record ModelView(
        String name,
        ModelSpec spec,
        Map<String, Integer> aliases,
        ModelVersionSummary production,
        Retraining retraining,
        Instant createdAt,
        Instant updatedAt,
        String updatedBy) {

    /**
     * The schedule as Quartz runs it.
     *
     * @param schedule the declared cron with its {@code H} tokens resolved for this model (UTC)
     * @param next     the next fire after now, null when the expression fires no more
     */
    public record Retraining(String schedule, Instant next) {}
}
