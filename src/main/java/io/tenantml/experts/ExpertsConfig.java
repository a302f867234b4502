package io.tenantml.experts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Expert recommender settings; every key under {@code tenantml.experts}. */
@ConfigMapping(prefix = "tenantml.experts")
public interface ExpertsConfig {

    /** Threads of the embedding pool ("tenantml-embed-N"), shared by builds and requests on this node. */
    @WithDefault("2")
    int embedThreads();

    /** Texts per embedding call: the model splits a batch across the pool; the cache is written per batch. */
    @WithDefault("64")
    int embedBatch();

    /** XGBoost threads when training a re-ranker. */
    @WithDefault("2")
    int rerankerThreads();

    /** Seed of the re-ranker's training (recorded in each build's provenance). */
    @WithDefault("42")
    long seed();

    /** Most index generations kept open at once, across tenants; the least recently used are closed first. */
    @WithDefault("32")
    int maxOpenIndexes();

    /** Most bytes of open index generations (they are held in memory). */
    @WithDefault("1073741824")
    long maxOpenBytes();

    /** Most answers a recommender's dataset version may have. */
    @WithDefault("200000")
    int maxRows();

    /**
     * How often one node of the cluster deletes the per-expert daily counts of past days (only today's are read by
     * a recommender's {@code dailyCap}).
     */
    @WithDefault("6h")
    String dailyCapPruneEvery();

    /**
     * Cached embeddings that no build has used (found in the cache or added to it) for this long are deleted; a
     * later build embeds those texts again. Shared by a tenant's recommenders, so one recommender's rebuild keeps
     * the vectors it shares with another alive.
     */
    @WithDefault("P90D")
    Duration embeddingRetention();

    /** How often one node of the cluster deletes cached embeddings past {@link #embeddingRetention()}. */
    @WithDefault("6h")
    String embeddingRetentionEvery();
}
