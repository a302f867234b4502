package io.tenantml.monitoring.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.monitoring.simulation.DriftSimulation.Judge;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fast variant of {@link DriftRuleBenchmark}, in every test run so that a change to the drift rule that
 * breaks acceptance 2 fails CI: fewer windows, smaller sizes, exact summaries only, and looser bounds (a
 * share measured on 60 windows has a standard error of about 0.03). Seeded; the seed is in every message.
 */
class DriftRuleSimulationTest {

    private static final long SEED = 20261130L;

    @Test
    void shouldKeepFalseAlarmsRareAndCatchRealShiftsButNotNegligibleOnes() {
        DriftSimulation simulation = new DriftSimulation(SEED, 20_000, 200, List.of(Judge.OURS_EXACT));
        DriftScenarios s = DriftScenarios.run(
                simulation, new DriftScenarios.Plan(60, 50, 20_000, new int[] {1000, 5000}, 2, 100_000, 1), SEED);
        String context = "seed " + SEED + ", windows " + s.firstSeed + ".." + s.lastSeed + "\n" + s.markdown();
        assertThat(s.nullAnyFeature.get(Judge.OURS_EXACT).share())
                .as("share of unshifted windows with a drifting feature; " + context)
                .isLessThanOrEqualTo(0.10);
        assertThat(s.minPower(Judge.OURS_EXACT, "numeric"))
                .as("power for a 0.25-sd shift; " + context)
                .isGreaterThanOrEqualTo(0.85);
        assertThat(s.minPower(Judge.OURS_EXACT, "categorical"))
                .as("power for a 10-point share move; " + context)
                .isGreaterThanOrEqualTo(0.85);
        assertThat(s.tiny.get(Judge.OURS_EXACT).share())
                .as("share of 0.01-sd shifts at n = 100,000 flagged; " + context)
                .isLessThanOrEqualTo(0.10);
    }
}
