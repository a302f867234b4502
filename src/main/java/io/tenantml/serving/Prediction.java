package io.tenantml.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.UUID;

/**
 * One scored record.
 *
 * @param id            names this prediction in the log, for feedback
 * @param score         binary: probability of the positive class; multiclass: probability of {@code label};
 *                      regression: the predicted value
 * @param label         classification only: the predicted class
 * @param probabilities multiclass only: class to probability (they sum to 1)
 * @param contributions when explained: feature to SHAP value, and {@code bias}; they sum to {@code margin}
 *                      (multiclass: for the predicted class)
 * @param margin        when explained: the raw model output (log-odds for binary) that the contributions add up to
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Prediction(
        UUID id,
        double score,
        String label,
        Map<String, Double> probabilities,
        Map<String, Double> contributions,
        Double margin) {

    /** The key of the bias term inside {@link #contributions()}. */
    public static final String BIAS = "bias";
}
