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
}
