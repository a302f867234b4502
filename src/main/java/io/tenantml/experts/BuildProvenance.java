package io.tenantml.experts;

import java.time.Instant;

/**
 * Where a generation came from: tenant, recommender, the dataset version and its hash, the spec and ranking
 * settings, the embedding model, the seed, library and JDK versions, and when.
 */
public record BuildProvenance(
        String tenant,
        String recommender,
        String dataset,
        int datasetVersion,
        String datasetSha256,
        RecommenderSpec spec,
        RankingSettings settings,
        String embeddingModel,
        long seed,
        String lucene,
        String jdk,
        Instant builtAt) {}
