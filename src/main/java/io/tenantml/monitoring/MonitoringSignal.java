package io.tenantml.monitoring;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Which signal of a judged window a monitoring series follows. Each is named after the field of
 * {@link MonitoringWindow} it is read from, so a series point and a window never name one thing twice. A monitoring
 * rule names what it judges in the rules' own words (they name a judgement, these a place to read it); the schema's
 * description maps one onto the other, for a console that plots the signal of a rule.
 */
@Schema(
        type = SchemaType.STRING,
        enumeration = {"features", "prediction", "skew", "dataset", "performance"},
        description = "Signal of a monitoring window that a series follows, named after the window's field. What a"
                + " monitoring rule's signal reads: datasetDrift the series dataset, featureDrift features (with"
                + " feature), skew skew (with feature), realisedPerformance and estimatedPerformance performance;"
                + " volumeZero reads a window's records, which every point carries")
public enum MonitoringSignal {
    /** One feature's drift verdict (the window's {@code features}, the one named by {@code feature}). */
    FEATURES(true),
    /** Prediction drift: the outputs' verdicts and the predicted classes' shares (the window's {@code prediction}). */
    PREDICTION(false),
    /** One input column's training–serving skew rates (the window's {@code skew}, the one named by {@code feature}). */
    SKEW(true),
    /** The dataset-level verdict: the share of evaluated features in drift (the window's {@code dataset}). */
    DATASET(false),
    /** Realised and estimated performance (the window's {@code performance}): the only one that reads feedback. */
    PERFORMANCE(false);

    private final boolean perFeature;

    MonitoringSignal(boolean perFeature) {
        this.perFeature = perFeature;
    }

    /** Whether the signal is one per feature (or input column), so that a series must name which. */
    public boolean perFeature() {
        return perFeature;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MonitoringSignal> fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst();
    }

    /** The wire names, for a problem's detail. */
    public static String wireNames() {
        return Arrays.stream(values()).map(MonitoringSignal::wireName).collect(Collectors.joining(", "));
    }
}
