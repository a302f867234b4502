package io.tenantml.serving;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Serving settings; every key under {@code tenantml.serving}. */
@ConfigMapping(prefix = "tenantml.serving")
public interface ServingConfig {

    /** Most records one /predict request may carry; more is refused with 413. */
    @WithDefault("1000")
    int maxRecords();

    /**
     * Requests of at most this many records, whose model version is loaded and whose alias is known, are
     * scored on the I/O thread without a hop to a worker thread; larger or colder ones go to a worker.
     */
    @WithDefault("16")
    int inlineMaxRecords();

    Cache cache();

    Batch batch();

    interface Cache {
        /** Most model versions kept loaded at once, across all tenants. */
        @WithDefault("64")
        int maxModels();

        /** Most bytes of model files kept loaded at once; the least recently used are evicted first. */
        @WithDefault("1073741824")
        long maxBytes();
    }

    interface Batch {
        /** Rows scored per chunk in batch prediction (memory stays bounded by this). */
        @WithDefault("5000")
        int chunkSize();
    }
}
