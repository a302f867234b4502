package io.tenantml.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * Something about a training's rows that did not stop it but that its owner should know; kept on the
 * training and on the model version it produced.
 *
 * @param column    the input column it is about
 * @param measure   how it was measured (for {@link TrainingWarningKind#LIKELY_LEAKAGE}: the single-feature score)
 * @param value     the measured value
 * @param threshold the configured value at or above which the warning is raised
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingWarning(
        TrainingWarningKind kind,
        String column,
        io.tenantml.model.LeakageMeasure measure,
        double value,
        double threshold,
        String message) {

    public TrainingWarning {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(message, "message");
    }
}
