package io.tenantml.training;

import io.tenantml.model.GateDecision;
import io.tenantml.model.Metrics;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Decides whether a candidate may become production. A candidate must beat its baseline on the gate
 * metric; then, when there is a champion scored on the same validation rows, it must improve on it by at
 * least {@code minImprovement} in the metric's better direction.
 */
public final class Gate {

    private Gate() {}

    /**
     * @param gate      a spec resolved for the objective (its metric is known)
     * @param champion  the champion's metrics on the candidate's validation rows, or null
     */
    public static GateDecision decide(
            GateSpec gate, Map<String, Double> candidate, Map<String, Double> baseline, Map<String, Double> champion) {
        String metric = Objects.requireNonNull(gate.metric(), "gate.metric");
        double score = require(candidate, metric, "candidate");
        double base = require(baseline, metric, "baseline");
        boolean higher = Metrics.higherIsBetter(metric);
        double overBaseline = higher ? score - base : base - score;
        if (!(overBaseline > 0)) {
            return new GateDecision(
                    false,
                    metric,
                    score,
                    champion == null ? null : champion.get(metric),
                    base,
                    String.format(Locale.ROOT, "%s %.6f does not beat the baseline %.6f", metric, score, base));
        }
        if (champion == null) {
            return new GateDecision(
                    true,
                    metric,
                    score,
                    null,
                    base,
                    String.format(Locale.ROOT, "no champion; %s %.6f beats the baseline %.6f", metric, score, base));
        }
        double best = require(champion, metric, "champion");
        double improvement = higher ? score - best : best - score;
        boolean passed = improvement >= gate.minImprovement();
        String reason = String.format(
                Locale.ROOT,
                "%s %.6f vs champion %.6f: improvement %.6f %s required %.6f",
                metric,
                score,
                best,
                improvement,
                passed ? "meets" : "is below",
                gate.minImprovement());
        return new GateDecision(passed, metric, score, best, base, reason);
    }

    private static double require(Map<String, Double> metrics, String metric, String whose) {
        Double value = metrics.get(metric);
        if (value == null) {
            throw new IllegalArgumentException(whose + " has no metric '" + metric + "'");
        }
        return value;
    }
}
