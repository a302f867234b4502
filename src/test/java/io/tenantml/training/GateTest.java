package io.tenantml.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tenantml.model.GateDecision;
import io.tenantml.model.Metrics;
import io.tenantml.model.Objective;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateTest {

    private final GateSpec auc = new GateSpec("auc", 0.01);

    @Test
    void shouldPassWithoutChampionWhenBaselineIsBeaten() {
        GateDecision decision = Gate.decide(auc, Map.of("auc", 0.7), Map.of("auc", 0.5), null);
        assertThat(decision.passed()).isTrue();
        assertThat(decision.champion()).isNull();
    }

    @Test
    void shouldRejectWhenBaselineIsNotBeaten() {
        GateDecision decision = Gate.decide(auc, Map.of("auc", 0.5), Map.of("auc", 0.5), null);
        assertThat(decision.passed()).isFalse();
        assertThat(decision.reason()).contains("baseline");
    }

    @Test
    void shouldRequireTheMinimumImprovementOverTheChampion() {
        assertThat(Gate.decide(auc, Map.of("auc", 0.9), Map.of("auc", 0.5), heldOut("auc", 0.805, 0.8))
                        .passed())
                .isFalse();
        assertThat(Gate.decide(auc, Map.of("auc", 0.7), Map.of("auc", 0.5), heldOut("auc", 0.82, 0.8))
                        .passed())
                .isTrue();
    }

    @Test
    void shouldTreatLowerAsBetterForLosses() {
        GateSpec rmse = new GateSpec("rmse", 0.5);
        assertThat(Gate.decide(rmse, Map.of("rmse", 9.0), Map.of("rmse", 20.0), heldOut("rmse", 9.0, 10.0))
                        .passed())
                .isTrue();
        assertThat(Gate.decide(rmse, Map.of("rmse", 9.0), Map.of("rmse", 20.0), heldOut("rmse", 9.8, 10.0))
                        .passed())
                .isFalse();
    }

    @Test
    void shouldCompareWithTheChampionOnTheSameRowsNotOnTheCandidatesFullValidation() {
        // 0.95 on all its validation rows, but on the 412 the champion did not train on 0.78 against its 0.80
        GateDecision decision = Gate.decide(auc, Map.of("auc", 0.95), Map.of("auc", 0.5), heldOut("auc", 0.78, 0.80));
        assertThat(decision.passed()).isFalse();
        assertThat(decision.candidate()).isEqualTo(0.95);
        assertThat(decision.candidateOnChampionRows()).isEqualTo(0.78);
        assertThat(decision.champion()).isEqualTo(0.80);
        assertThat(decision.championRows()).isEqualTo(412);
        assertThat(decision.reason())
                .contains(
                        "champion and candidate scored on 412 of 1,000 validation rows the champion did not train on");
    }

    @Test
    void shouldGateAgainstTheBaselineOnlyWhenTooFewRowsAreHeldOutFromTheChampion() {
        ChampionComparison few =
                new ChampionComparison(3, ChampionComparison.Basis.TOO_FEW_ROWS, null, null, 12, 200, 30);
        GateDecision decision = Gate.decide(auc, Map.of("auc", 0.7), Map.of("auc", 0.5), few);
        assertThat(decision.passed()).isTrue();
        assertThat(decision.champion()).isNull();
        assertThat(decision.championRows()).isNull();
        assertThat(decision.reason())
                .contains("champion v3 not compared: 12 of 200 validation rows")
                .contains("baseline only");
    }

    @Test
    void shouldSayWhenTheChampionsSplitIsUnknown() {
        ChampionComparison all = new ChampionComparison(
                1, ChampionComparison.Basis.SPLIT_UNKNOWN, Map.of("auc", 0.8), Map.of("auc", 0.85), 200, 200, 30);
        GateDecision decision = Gate.decide(auc, Map.of("auc", 0.85), Map.of("auc", 0.5), all);
        assertThat(decision.passed()).isTrue();
        assertThat(decision.championRows()).isEqualTo(200);
        assertThat(decision.reason()).contains("all 200 validation rows").contains("split is not recorded");
    }

    private static ChampionComparison heldOut(String metric, double candidate, double champion) {
        return new ChampionComparison(
                1,
                ChampionComparison.Basis.HELD_OUT_ROWS,
                Map.of(metric, champion),
                Map.of(metric, candidate),
                412,
                1000,
                30);
    }

    @Test
    void shouldComputeKnownMetricValues() {
        // scores 0.1 0.4 0.35 0.8 for labels 0 0 1 1: of the 4 positive/negative pairs, 3 are ordered -> AUC 0.75
        float[] labels = {0, 0, 1, 1};
        float[][] p = {{0.1f}, {0.4f}, {0.35f}, {0.8f}};
        Map<String, Double> m = Metrics.compute(Objective.BINARY, labels, p);
        assertThat(m.get("auc")).isCloseTo(0.75, within(1e-12));
        // descending: 0.8 (tp) P=1 R=.5; 0.4 (fp); 0.35 (tp) P=2/3 R=1 -> AP = .5*1 + .5*2/3
        assertThat(m.get("prAuc")).isCloseTo(0.5 + 1.0 / 3, within(1e-6));
        // at 0.5 only 0.8 is positive: tp 1, fn 1, fp 0 -> accuracy 3/4, F1 2/3
        assertThat(m.get("accuracy")).isCloseTo(0.75, within(1e-12));
        assertThat(m.get("f1")).isCloseTo(2.0 / 3, within(1e-12));

        // regression: errors 1 and -1 around labels 1 and 3 (mean 2, total sum of squares 2) -> r2 0
        Map<String, Double> r = Metrics.compute(Objective.REGRESSION, new float[] {1, 3}, new float[][] {{2}, {2}});
        assertThat(r.get("rmse")).isCloseTo(1.0, within(1e-12));
        assertThat(r.get("mae")).isCloseTo(1.0, within(1e-12));
        assertThat(r.get("r2")).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void shouldScoreTheMajorityClassBaseline() {
        // training prior 3/4 class 0: every validation row predicts class 0 -> accuracy 1/2 on labels 0 1
        Map<String, Double> b = Metrics.baseline(Objective.MULTICLASS, new float[] {0, 0, 0, 1}, new float[] {0, 1}, 2);
        assertThat(b.get("accuracy")).isCloseTo(0.5, within(1e-12));
        assertThat(b.get("mlogloss")).isCloseTo(-(Math.log(0.75) + Math.log(0.25)) / 2, within(1e-6));
    }
}
