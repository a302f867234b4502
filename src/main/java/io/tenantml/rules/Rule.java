package io.tenantml.rules;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One rule as the tenant writes it (and reads it back with its defaults filled in).
 *
 * @param signal what is watched: {@code datasetDrift} (the window's share of drifting features reaches
 *     {@code threshold}), {@code featureDrift} (any of {@code features} has status drift), {@code skew} (the
 *     largest rate of skew {@code kind} over the model's inputs reaches {@code threshold}), {@code volumeZero}
 *     (a window run read no logged prediction)
 * @param threshold for datasetDrift (default 0.5) and skew (required): a share in (0, 1]
 * @param features for featureDrift: the encoded feature names (as the windows name them), at least one
 * @param kind for skew: {@code missing}, {@code unseen-category}, {@code out-of-range} or {@code refused}
 * @param action {@code alert} (a monitoring.* event) or {@code retrain} (a training on the latest dataset
 *     version)
 * @param consecutiveWindows windows in a row the signal must be present to fire, and absent to clear (default 1)
 * @param cooldown ISO-8601 duration: the least time between two actions of the rule (default PT24H)
 * @param includeFeedback for retrain (default false): before training, append the model's labelled production
 *     records (feedback joined to the logged features, since its production version was trained, each record
 *     once) to its dataset as a new version with the log windows as lineage, and train on that version
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rule(
        @Schema(
                type = SchemaType.STRING,
                enumeration = {"datasetDrift", "featureDrift", "skew", "volumeZero"},
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
        Boolean includeFeedback) {

    /** A rule without {@code includeFeedback} (every rule before it existed). */
    public Rule(
            String signal,
            Double threshold,
            List<String> features,
            String kind,
            String action,
            Integer consecutiveWindows,
            String cooldown) {
        this(signal, threshold, features, kind, action, consecutiveWindows, cooldown, null);
    }

    /** Whether a retrain first appends the labelled production records to the dataset. */
    public boolean appendsFeedback() {
        return Boolean.TRUE.equals(includeFeedback);
    }
}
