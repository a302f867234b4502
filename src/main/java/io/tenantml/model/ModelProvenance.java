package io.tenantml.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * Where a model file came from, saved inside the file and in the registry.
 *
 * @param xgboost  XGBoost4J version that trained it
 * @param java     JVM version and vendor
 * @param platform this platform's version
 * @param split    how the rows were divided into training and validation; null in versions from before it was
 *                 recorded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelProvenance(
        String tenant,
        String model,
        String trainingId,
        String dataset,
        int datasetVersion,
        String datasetSha256,
        XGBoostParams params,
        long seed,
        int threads,
        List<String> features,
        int rounds,
        int bestIteration,
        String xgboost,
        String java,
        String platform,
        Instant createdAt,
        SplitProvenance split) {

    public ModelProvenance {
        features = features == null ? null : List.copyOf(features);
    }
}
