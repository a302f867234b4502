package io.tenantml.training;

import io.tenantml.registry.ModelVersionView;
import io.tenantml.registry.VersionStatus;
import java.time.Instant;
import java.util.Map;

/**
 * A model spec as returned by the API, with the version each alias points to, a summary of the version in production
 * (so that a list of models shows how each one does without a call per model) and, for a scheduled model, when it
 * retrains next.
 */
public record ModelView(
        String name,
        ModelSpec spec,
        Map<String, Integer> aliases,
        Production production,
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

    /**
     * The version the {@code production} alias names; absent while none does. The whole version (feature
     * importance, transform, provenance) is at {@code versions/{version}}.
     *
     * @param approved whether a person approved it after its gate rejected it
     */
    public record Production(
            int version,
            Instant createdAt,
            VersionStatus status,
            boolean approved,
            Map<String, Double> metrics,
            ModelVersionView.DatasetLineage dataset) {

        static Production of(ModelVersionView v) {
            return new Production(
                    v.version(), v.createdAt(), v.status(), v.approval() != null, v.metrics(), v.dataset());
        }
    }
}
