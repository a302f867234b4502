package io.tenantml.monitoring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantml.feature.ValueKind;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PredictionRecordCodecTest {

    @Test
    void shouldPackTheSixFeatureDemoRecordInThirtySixBytes() {
        ValueKind[] kinds = new ValueKind[6];
        Arrays.fill(kinds, ValueKind.PRESENT);
        // 1 format + 1 sample + 1 count + 3 kind bytes + 1 count + 6 x 4 + 1 count + 1 x 4
        assertThat(PredictionRecordCodec.encode(1, kinds, new float[6], new float[1]))
                .hasSize(36);
    }

    @Test
    void shouldRoundTripRandomRecordsBitForBit() {
        long seed = 11_2026L;
        SplittableRandom random = new SplittableRandom(seed);
        ValueKind[] all = ValueKind.values();
        for (int n = 0; n < 500; n++) {
            ValueKind[] kinds = new ValueKind[random.nextInt(0, 300)]; // counts past one varint byte too
            for (int i = 0; i < kinds.length; i++) {
                kinds[i] = all[random.nextInt(all.length)];
            }
            float[] features = floats(random, random.nextInt(0, 300));
            float[] outputs = floats(random, random.nextInt(0, 4));
            int every = random.nextInt(1, 100_000);
            PredictionRecordCodec.Payload p =
                    PredictionRecordCodec.decode(PredictionRecordCodec.encode(every, kinds, features, outputs));
            assertThat(p.sampledEvery()).as("seed %d", seed).isEqualTo(every);
            assertThat(p.kinds()).as("seed %d", seed).containsExactly(kinds);
            assertThat(bits(p.features())).as("seed %d", seed).containsExactly(bits(features));
            assertThat(bits(p.outputs())).as("seed %d", seed).containsExactly(bits(outputs));
        }
    }

    @Test
    void shouldRefuseTruncatedOrUnknownBytesNamingWhy() {
        byte[] bytes = PredictionRecordCodec.encode(1, new ValueKind[] {ValueKind.MISSING}, new float[2], new float[1]);
        assertThatThrownBy(() -> PredictionRecordCodec.decode(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
        byte[] future = bytes.clone();
        future[0] = 9;
        assertThatThrownBy(() -> PredictionRecordCodec.decode(future)).hasMessageContaining("format 9");
    }

    private static float[] floats(SplittableRandom random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextInt(10) == 0 ? Float.NaN : (float) (random.nextGaussian() * 1e3);
        }
        return out;
    }

    private static int[] bits(float[] values) {
        return Arrays.stream(toDoubles(values))
                .mapToInt(d -> Float.floatToRawIntBits((float) d))
                .toArray();
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
