package io.tenantml.training;

import io.tenantml.model.InvalidSpecException;
import io.tenantml.model.Metrics;
import io.tenantml.model.Objective;

/**
 * When a candidate may replace the champion.
 *
 * @param metric         a metric of the objective (see {@link Metrics}); default per objective
 * @param minImprovement how much better than the champion the candidate must be on that metric, in the
 *                       metric's own units, in its better direction (default 0)
 */
public record GateSpec(String metric, Double minImprovement) {

    public GateSpec {
        minImprovement = minImprovement == null ? 0.0 : minImprovement;
        if (minImprovement.isNaN() || minImprovement.isInfinite()) {
            throw new InvalidSpecException("gate.minImprovement", "gate.minImprovement must be a finite number");
        }
    }

    public GateSpec resolve(Objective objective) {
        String resolved = metric == null ? objective.defaultGateMetric() : metric;
        if (!Metrics.namesFor(objective).contains(resolved)) {
            throw new InvalidSpecException(
                    "gate.metric",
                    "gate.metric '" + resolved + "' is not a metric of " + objective.wireName() + " models "
                            + Metrics.namesFor(objective));
        }
        return new GateSpec(resolved, minImprovement);
    }
}
