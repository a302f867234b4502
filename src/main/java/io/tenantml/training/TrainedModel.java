package io.tenantml.training;

import io.tenantml.feature.FeatureTransform;
import io.tenantml.model.SplitProvenance;
import io.tenantml.model.TargetEncoding;
import io.tenantml.model.TrainingWarning;
import io.tenantml.monitoring.ReferenceProfile;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;

/**
 * A freshly trained model with everything the registry keeps and the gate needs. Owns the native
 * booster: {@link #close()} frees it.
 *
 * @param validationRows  the raw validation rows (typed values of the dataset schema), so that the
 *                        champion can be scored on exactly the same rows through its own transform
 * @param validationPredictions the model's predictions on those rows, in their order
 * @param split           how the rows were divided, for the version's provenance
 * @param importance      gain per feature name (features never used in a split are 0)
 * @param warnings        what the checks on the training rows found (likely leakage), never null
 * @param reference       the training rows and validation results as monitoring compares serving against them
 */
public record TrainedModel(
        FeatureTransform transform,
        TargetEncoding target,
        Booster booster,
        int rounds,
        int bestIteration,
        Map<String, Double> metrics,
        Map<String, Double> baseline,
        Map<String, Double> importance,
        int trainRows,
        List<Object[]> validationRows,
        float[] validationLabels,
        float[][] validationPredictions,
        SplitProvenance split,
        List<TrainingWarning> warnings,
        ReferenceProfile reference)
        implements AutoCloseable {

    @Override
    public void close() {
        booster.dispose();
    }
}
