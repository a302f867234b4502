package io.tenantml.monitoring;

import io.tenantml.feature.ValueKind;
import java.time.Instant;
import java.util.UUID;

/**
 * One record of the prediction log as {@link PredictionLogReader} decodes it.
 *
 * @param predictedAt  when it was predicted, to the millisecond
 * @param kinds        what each input's raw value was (see {@link LoggedPrediction#kinds()})
 * @param features     the encoded features; NaN is missing
 * @param outputs      the model's output (see {@link LoggedPrediction#outputs()}); empty when refused
 * @param sampledEvery the model logged one prediction in this many when this one was logged (1 = all)
 */
public record LogRecord(
        UUID id, Instant predictedAt, ValueKind[] kinds, float[] features, float[] outputs, int sampledEvery) {

    /** The share of the model's traffic that was logged when this record was: 1 / {@code sampledEvery}. */
    public double sampleRate() {
        return 1.0 / sampledEvery;
    }

    public boolean scored() {
        return outputs.length > 0;
    }
}
