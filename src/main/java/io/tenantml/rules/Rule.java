package io.tenantml.rules;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One rule as the tenant writes it (and reads it back with its defaults filled in).
 *
 * @param name the tenant's stable identity of the rule (optional; 1 to 64 of {@code A-Z a-z 0-9 . _ -}, unique
 *     within the model's rules). A rule put again under its name keeps its state whatever else changed; a rule
 *     without a name is identified by its content ({@link RuleKeys}), so an unnamed rule edited is a new rule
 * @param signal what is watched: {@code datasetDrift} (the window's share of drifting features reaches
 *     {@code threshold}), {@code featureDrift} (any of {@code features} has status drift), {@code skew} (the
 *     largest rate of skew {@code kind} over the model's inputs reaches {@code threshold}), {@code volumeZero}
 *     (a window run read no logged prediction), {@code realisedPerformance} (the window's version scored on the
 *     feedback labels of the window's predictions is worse than {@code floor}, or worse than the version's own
 *     validation figure by more than {@code margin}), {@code estimatedPerformance} (the same with CBPE's
 *     estimate from the window's scores alone; classifiers only). A window with fewer than {@code minSamples}
 *     labels (realised) or scored predictions (estimated), or without the metric, says nothing: it counts
 *     neither as present nor as absent.
 * @param threshold for datasetDrift (default 0.5) and skew (required): a share in (0, 1]
 * @param features for featureDrift: the encoded feature names (as the windows name them), at least one
 * @param kind for skew: {@code missing}, {@code unseen-category}, {@code out-of-range} or {@code refused}
 * @param action {@code alert} (a monitoring.* event) or {@code retrain} (a training on the latest dataset
 *     version)
 * @param consecutiveWindows windows in a row the signal must be present to fire, and absent to clear (default 1)
 * @param cooldown ISO-8601 duration: the least time between two actions of the rule (default PT24H)
 * @param metric for the performance signals (required): a metric of the model's objective (binary: auc, prAuc,
 *     logloss, accuracy, f1; multiclass: accuracy, macroF1, mlogloss; regression: rmse, mae, r2; estimated:
 *     auc, accuracy, f1 for binary, accuracy for multiclass). For a retrain rule with {@code watchWindows}: the
 *     metric the watch compares (default: the model's gate metric)
 * @param floor for the performance signals: the worst acceptable value, on the metric's scale; "below" means
 *     worse, so for metrics where lower is better (logloss, mlogloss, rmse, mae) the signal is a value above it
 * @param margin for the performance signals: how much worse than the version's validation figure the value may
 *     be, in the metric's units, at least 0. At least one of {@code floor} and {@code margin}; with both, either
 *     one crossed is the signal
 * @param minSamples for the performance signals and the watch: the least labels (realised) or scored predictions
 *     (estimated) a window needs to count (default 30)
 * @param watchWindows for action retrain: when set, a version the rule's training promoted automatically is
 *     watched for this many window runs that can judge it (1 to 1000; absent: no watch)
 * @param rollbackMargin with {@code watchWindows} (required): the watched version's performance since its
 *     promotion may be worse than the previous version's by at most this much (metric units, at least 0) before
 *     the alias moves back to the previous version
 * @param includeFeedback for retrain (default false): before training, append the model's labelled production
 *     records (feedback joined to the logged features, since its production version was trained, each record
 *     once) to its dataset as a new version with the log windows as lineage, and train on that version
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rule(
        @Schema(pattern = "^[A-Za-z0-9._-]{1,64}$", maxLength = 64)
        String name,

        @Schema(
                type = SchemaType.STRING,
                enumeration = {
                    "datasetDrift",
                    "featureDrift",
                    "skew",
                    "volumeZero",
                    "realisedPerformance",
                    "estimatedPerformance"
                },
                required = true)
        String signal,

        Double threshold,
        List<String> features,

        @Schema(
                type = SchemaType.STRING,
                enumeration = {"missing", "unseen-category", "out-of-range", "refused"})
        String kind,

        @Schema(
                type = SchemaType.STRING,
                enumeration = {"alert", "retrain"},
                required = true)
        String action,

        Integer consecutiveWindows,
        @Schema(type = SchemaType.STRING, example = "PT24H") String cooldown,

        @Schema(
                type = SchemaType.STRING,
                enumeration = {"auc", "prAuc", "logloss", "accuracy", "f1", "macroF1", "mlogloss", "rmse", "mae", "r2"})
        String metric,

        Double floor,
        Double margin,
        Integer minSamples,
        Integer watchWindows,
        Double rollbackMargin,

        Boolean includeFeedback) {

    /** The canonical constructor is the one JSON binds (the shorter one is for code). */
    @JsonCreator
    public Rule {}

    /** An unnamed rule without performance settings or a watch (the fields before them). */
    public Rule(
            String signal,
            Double threshold,
            List<String> features,
            String kind,
            String action,
            Integer consecutiveWindows,
            String cooldown) {
        this(
                null,
                signal,
                threshold,
                features,
                kind,
                action,
                consecutiveWindows,
                cooldown,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** The same rule under another name (or none). */
    public Rule withName(String newName) {
        return new Rule(
                newName,
                signal,
                threshold,
                features,
                kind,
                action,
                consecutiveWindows,
                cooldown,
                metric,
                floor,
                margin,
                minSamples,
                watchWindows,
                rollbackMargin,
                includeFeedback);
    }

    /** Whether a retrain first appends the labelled production records to the dataset. */
    public boolean appendsFeedback() {
        return Boolean.TRUE.equals(includeFeedback);
    }
}
