package io.tenantml.monitoring.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.dataset.bench.BenchmarkDocs;
import io.tenantml.monitoring.DriftRuleSettings;
import io.tenantml.monitoring.simulation.DriftSimulation.Judge;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, acceptance 2, in full: against a reference of 20,000 training rows, 500 unshifted windows of 50
 * to 100,000 rows (log-uniform), every feature shifted in turn at 1,000, 10,000 and 100,000 rows (5 windows
 * each), and every numeric feature shifted by 0.01 sd at 100,000 rows (5 windows each); judged by our rule
 * on exact summaries, by our rule on KLL sketches (k = 200, DataSketches' default), and by Evidently's
 * default rule on the raw values. Then a smaller run against a reference of 1,000 rows, where Evidently
 * uses its tests instead of its distances: 100 unshifted windows and the shifts at 1,000 rows.
 * Writes docs/benchmarks.md ("Drift decision"). Run:
 * {@code ./mvnw -B test -Dtest=DriftRuleBenchmark -Dtenantml.test.excluded-groups=none -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("benchmark")
class DriftRuleBenchmark {

    private static final long SEED = 20261130L;
    private static final DriftScenarios.Plan PLAN =
            new DriftScenarios.Plan(500, 50, 100_000, new int[] {1000, 10_000, 100_000}, 5, 100_000, 5);
    private static final DriftScenarios.Plan SMALL_REFERENCE_PLAN =
            new DriftScenarios.Plan(100, 50, 100_000, new int[] {1000}, 5, 100_000, 0);

    @Test
    void shouldMeetAcceptanceTwoBesideEvidently() throws Exception {
        long start = System.nanoTime();
        List<Judge> judges = List.of(Judge.OURS_EXACT, Judge.OURS_KLL, Judge.EVIDENTLY);
        DriftScenarios large = DriftScenarios.run(new DriftSimulation(SEED, 20_000, 200, judges), PLAN, SEED);
        String header = header((System.nanoTime() - start) / 6e10);
        BenchmarkDocs.replaceSection(
                "drift-rule", header + "#### Reference of 20,000 training rows\n\n" + large.markdown());
        System.out.println(large.markdown());
        DriftScenarios small =
                DriftScenarios.run(new DriftSimulation(SEED + 1, 1_000, 200, judges), SMALL_REFERENCE_PLAN, SEED + 1);
        String results = header((System.nanoTime() - start) / 6e10)
                + "#### Reference of 20,000 training rows\n\n" + large.markdown()
                + "\n#### Reference of 1,000 training rows (no 0.01-sd scenario)\n\n" + small.markdown();
        BenchmarkDocs.replaceSection("drift-rule", results);
        System.out.println(results);
        // acceptance 2 is stated for the 20,000-row reference; the 1,000-row run is reported, not asserted
        assertThat(large.nullAnyFeature.get(Judge.OURS_EXACT).windows).isEqualTo(500);
        assertThat(large.nullAnyFeature.get(Judge.OURS_EXACT).share())
                .as("false alarms")
                .isLessThanOrEqualTo(0.05);
        assertThat(large.minPower(Judge.OURS_EXACT, "numeric"))
                .as("power, numeric")
                .isGreaterThanOrEqualTo(0.95);
        assertThat(large.minPower(Judge.OURS_EXACT, "categorical"))
                .as("power, categorical")
                .isGreaterThanOrEqualTo(0.95);
        assertThat(large.tiny.get(Judge.OURS_EXACT).hits)
                .as("0.01-sd shifts flagged")
                .isZero();
    }

    private static String header(double minutes) {
        DriftRuleSettings d = DriftRuleSettings.defaults();
        return String.format(
                Locale.ROOT,
                "Run on %s, JDK %s, %d cores, %.1f minutes so far (machine shared with other"
                        + " builds: the time is not a measurement). Seeds %d (reference 20,000) and %d"
                        + " (reference 1,000); our defaults: FDR %.2f, min window %d, KS distance %.3f,"
                        + " JS distance %.3f.%n%n",
                LocalDate.now(),
                Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                minutes,
                SEED,
                SEED + 1,
                d.falseDiscoveryRate(),
                d.minWindowCount(),
                d.numericDriftDistance(),
                d.categoricalDriftDistance());
    }
}
