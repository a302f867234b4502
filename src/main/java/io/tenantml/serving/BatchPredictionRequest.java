package io.tenantml.serving;

/**
 * @param dataset        the tenant's dataset to score
 * @param datasetVersion default: the latest version
 * @param version        model version; exclusive with {@code alias} (default: the {@code production} alias)
 */
public record BatchPredictionRequest(String dataset, Integer datasetVersion, Integer version, String alias) {}
