package io.tenantml.training;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Training settings per node. */
@ConfigMapping(prefix = "tenantml.training")
public interface TrainingConfig {

    /** XGBoost threads per training (nthread). */
    @WithDefault("2")
    int threads();

    /** Shortest interval between two progress writes of one training, in milliseconds. */
    @WithDefault("200")
    long progressIntervalMillis();

    /**
     * The fewest of a candidate's validation rows the champion did not train on that the gate compares the two on;
     * with fewer, the candidate is gated against its baseline only (a comparison on a handful of rows is noise).
     */
    @WithDefault("30")
    int gateMinChampionRows();

    Leakage leakage();

    /** The leakage check on the training rows (see {@link LeakageCheck}). */
    interface Leakage {
        /** A regression feature whose single-feature out-of-sample R² reaches this is flagged as likely leakage. */
        @WithDefault("0.98")
        double rSquaredThreshold();

        /** A classification feature whose single-feature out-of-sample AUC reaches this is flagged. */
        @WithDefault("0.99")
        double aucThreshold();

        /** Most quantile bins a numeric feature is cut into for its single-feature model. */
        @WithDefault("50")
        int maxBins();

        /** Fewer bins on small training splits, so that each bin holds about this many rows. */
        @WithDefault("20")
        int minRowsPerBin();

        default LeakageCheck.Settings settings() {
            return new LeakageCheck.Settings(rSquaredThreshold(), aucThreshold(), maxBins(), minRowsPerBin());
        }
    }
}
