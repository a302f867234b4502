package io.tenantml.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.statistics.QuantileSketch;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A window profiled twice from the same values is judged the same: its sketches are byte-identical (KLL's
 * compaction coins are seeded from the sketch's own state, see {@code QuantileSketch}) even while other
 * sketches compact on another thread, so a verdict at a rule's edge does not flip from run to run.
 */
class ReproducibleVerdictTest {

    private static final long SEED = 20261130L;

    @Test
    void shouldGiveByteIdenticalSketchesAndTheSameVerdictWhenTheSameValuesAreProfiledTwice() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED);
        double[] reference = new double[50_000];
        double[] window = new double[200_000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = random.nextGaussian();
        }
        // 0.15 sd: a KS distance of about 0.399 · 0.15 = 0.06, about 0.034 once the sketch error (about 0.013 per
        // side) is subtracted: between the warning (0.025) and drift (0.05) distances, where a different coin
        // moves the measured distance and with it, near an edge, the verdict
        for (int i = 0; i < window.length; i++) {
            window[i] = 0.15 + random.nextGaussian();
        }
        AtomicBoolean stop = new AtomicBoolean();
        Thread otherSketches = new Thread(() -> {
            SplittableRandom noise = new SplittableRandom(SEED + 1);
            while (!stop.get()) {
                QuantileSketch other = new QuantileSketch(8);
                for (int i = 0; i < 5_000; i++) {
                    other.add(noise.nextDouble());
                }
                other.count();
            }
        });
        otherSketches.start();
        try {
            Profiled first = profile(reference, window);
            Profiled second = profile(reference, window);

            assertThat(first.window.isExact())
                    .as("the window must have compacted, seed %d", SEED)
                    .isFalse();
            assertThat(second.reference.toBytes())
                    .as("reference, seed %d", SEED)
                    .isEqualTo(first.reference.toBytes());
            assertThat(second.window.toBytes()).as("window, seed %d", SEED).isEqualTo(first.window.toBytes());
            DatasetDriftVerdict once = judge(first);
            DatasetDriftVerdict again = judge(second);
            assertThat(again).as("seed %d", SEED).isEqualTo(once);
            assertThat(once.features().getFirst().status())
                    .as("seed %d", SEED)
                    .isNotEqualTo(FeatureDriftStatus.INSUFFICIENT_DATA);
        } finally {
            stop.set(true);
            otherSketches.join();
        }
    }

    private record Profiled(QuantileSketch reference, QuantileSketch window) {}

    private static Profiled profile(double[] reference, double[] window) {
        QuantileSketch r = new QuantileSketch();
        for (double v : reference) {
            r.add(v);
        }
        QuantileSketch w = new QuantileSketch();
        for (double v : window) {
            w.add(v);
        }
        // stored and read back, as windows and references are
        return new Profiled(QuantileSketch.fromBytes(r.toBytes()), QuantileSketch.fromBytes(w.toBytes()));
    }

    private static DatasetDriftVerdict judge(Profiled p) {
        return new DriftRule(DriftRuleSettings.defaults())
                .judge(List.of(new FeatureComparison(
                        "x", SketchSummaries.numeric(p.reference()), SketchSummaries.numeric(p.window()))));
    }
}
