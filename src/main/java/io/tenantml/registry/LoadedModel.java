package io.tenantml.registry;

import io.tenantml.dataset.DatasetSchema;
import io.tenantml.feature.EncodedRecord;
import io.tenantml.feature.FeatureTransform;
import io.tenantml.model.ModelProvenance;
import io.tenantml.model.TargetEncoding;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * A verified model file in memory with the transform and target encoding it was trained with. This is
 * what serving uses: {@link #transform()} encodes records exactly as training did. Prediction is safe
 * from several threads (XGBoost's predict is thread-safe); {@link #close()} frees the native booster.
 */
public final class LoadedModel implements AutoCloseable {

    private final Booster booster;
    private final ModelArtifact.Metadata metadata;
    private final String sha256;
    private final long bytes;

    LoadedModel(Booster booster, ModelArtifact.Metadata metadata, String sha256, long bytes) {
        this.booster = booster;
        this.metadata = metadata;
        this.sha256 = sha256;
        this.bytes = bytes;
    }

    public FeatureTransform transform() {
        return metadata.transform();
    }

    public TargetEncoding target() {
        return metadata.target();
    }

    public ModelProvenance provenance() {
        return metadata.provenance();
    }

    public String sha256() {
        return sha256;
    }

    /** Size of the model file, for cache accounting. */
    public long bytes() {
        return bytes;
    }

    /** The native booster, for what this class does not wrap (SHAP contributions, margins, inplace predict). */
    public Booster booster() {
        return booster;
    }

    /**
     * @param features row-major, {@code rows x transform().width()}, NaN for missing
     * @return per row: [p(positive)] (binary), class probabilities (multiclass) or [value] (regression)
     */
    public float[][] predict(float[] features, int rows) throws XGBoostError {
        DMatrix matrix = transform().matrix(features, rows);
        try {
            return booster.predict(matrix);
        } finally {
            matrix.dispose();
        }
    }

    /** Predicts already-encoded records (see {@link FeatureTransform#encode(Map)}). */
    public float[][] predict(List<EncodedRecord> records) throws XGBoostError {
        int width = transform().width();
        float[] data = new float[records.size() * width];
        for (int i = 0; i < records.size(); i++) {
            System.arraycopy(records.get(i).features(), 0, data, i * width, width);
        }
        return predict(data, records.size());
    }

    /** Predicts typed dataset rows of {@code schema} (batch scoring, champion evaluation). */
    public float[][] predictRows(DatasetSchema schema, List<Object[]> rows) throws XGBoostError {
        DMatrix matrix = transform()
                .bind(schema)
                .matrix(rows, IntStream.range(0, rows.size()).toArray(), null);
        try {
            return booster.predict(matrix);
        } finally {
            matrix.dispose();
        }
    }

    @Override
    public void close() {
        booster.dispose();
    }
}
