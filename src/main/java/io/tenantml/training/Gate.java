package io.tenantml.training;

import io.tenantml.model.GateDecision;
import io.tenantml.model.Metrics;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Decides whether a candidate may become production. A candidate must beat its baseline on the gate metric (both
 * on all its validation rows); then, when a champion was compared ({@link ChampionComparison}), the candidate must
 * improve on it by at least {@code minImprovement} in the metric's better direction, both scored on the same rows:
 * those of the candidate's validation rows the champion did not train on.
 */
public final class Gate {

    private Gate() {}

    /**
     * @param gate      a spec resolved for the objective (its metric is known)
     * @param champion  the champion against the candidate, or null when there is no champion
     */
    public static GateDecision decide(
            GateSpec gate, Map<String, Double> candidate, Map<String, Double> baseline, ChampionComparison champion) {
        String metric = Objects.requireNonNull(gate.metric(), "gate.metric");
        double score = require(candidate, metric, "candidate");
        double base = require(baseline, metric, "baseline");
        boolean compared = champion != null && champion.compared();
        Double best = compared ? require(champion.champion(), metric, "champion") : null;
        Double own = compared ? require(champion.candidate(), metric, "candidate on the champion's rows") : null;
        Integer rows = compared ? champion.rows() : null;
        boolean higher = Metrics.higherIsBetter(metric);
        double overBaseline = higher ? score - base : base - score;
        if (!(overBaseline > 0)) {
            String reason = String.format(Locale.ROOT, "%s %.6f does not beat the baseline %.6f", metric, score, base);
            return new GateDecision(false, metric, score, best, base, reason, own, rows);
        }
        if (!compared) {
            String reason = String.format(
                    Locale.ROOT, "%s; %s %.6f beats the baseline %.6f", uncompared(champion), metric, score, base);
            return new GateDecision(true, metric, score, null, base, reason, null, null);
        }
        double improvement = higher ? own - best : best - own;
        boolean passed = improvement >= gate.minImprovement();
        String reason = String.format(
                Locale.ROOT,
                "%s %.6f vs champion v%d %.6f: improvement %.6f %s required %.6f; %s (%s %.6f beats the baseline"
                        + " %.6f on all %,d)",
                metric,
                own,
                champion.version(),
                best,
                improvement,
                passed ? "meets" : "is below",
                gate.minImprovement(),
                rowsCompared(champion),
                metric,
                score,
                base,
                champion.validationRows());
        return new GateDecision(passed, metric, score, best, base, reason, own, rows);
    }

    private static String rowsCompared(ChampionComparison c) {
        return c.basis() == ChampionComparison.Basis.HELD_OUT_ROWS
                ? String.format(
                        Locale.ROOT,
                        "champion and candidate scored on %,d of %,d validation rows the champion did not train on",
                        c.rows(),
                        c.validationRows())
                : String.format(
                        Locale.ROOT,
                        "champion and candidate scored on all %,d validation rows: the champion's split is not"
                                + " recorded (a version from before it was), so it may have trained on some of them",
                        c.rows());
    }

    private static String uncompared(ChampionComparison c) {
        if (c == null) {
            return "no champion";
        }
        return switch (c.basis()) {
            case TOO_FEW_ROWS ->
                String.format(
                        Locale.ROOT,
                        "champion v%d not compared: %,d of %,d validation rows are ones it did not train on (at least"
                                + " %,d needed, with the gate metric defined on them); gated against the baseline only",
                        c.version(),
                        c.rows(),
                        c.validationRows(),
                        c.minimumRows());
            case OTHER_TARGET ->
                String.format(
                        Locale.ROOT,
                        "champion v%d not compared: it has another target encoding (other classes or objective);"
                                + " gated against the baseline only",
                        c.version());
            default -> throw new IllegalStateException("compared: " + c.basis());
        };
    }

    private static double require(Map<String, Double> metrics, String metric, String whose) {
        Double value = metrics == null ? null : metrics.get(metric);
        if (value == null) {
            throw new IllegalArgumentException(whose + " has no metric '" + metric + "'");
        }
        return value;
    }
}
