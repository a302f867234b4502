package io.tenantml.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a model predicts, and the XGBoost objective and early-stopping metric that go with it. */
public enum Objective {
    BINARY("binary:logistic", "logloss"),
    MULTICLASS("multi:softprob", "mlogloss"),
    REGRESSION("reg:squarederror", "rmse");

    private final String xgboostObjective;
    private final String stoppingMetric;

    Objective(String xgboostObjective, String stoppingMetric) {
        this.xgboostObjective = xgboostObjective;
        this.stoppingMetric = stoppingMetric;
    }

    public String xgboostObjective() {
        return xgboostObjective;
    }

    /** XGBoost's eval_metric watched on the validation split for early stopping (lower is better). */
    public String stoppingMetric() {
        return stoppingMetric;
    }

    /** The metric a gate uses when the spec names none. */
    public String defaultGateMetric() {
        return switch (this) {
            case BINARY -> "auc";
            case MULTICLASS -> "macroF1";
            case REGRESSION -> "rmse";
        };
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Objective fromWire(String value) {
        for (Objective objective : values()) {
            if (objective.wireName().equals(value)) {
                return objective;
            }
        }
        throw new IllegalArgumentException(
                "unknown objective '" + value + "' (expected binary, multiclass or regression)");
    }
}
