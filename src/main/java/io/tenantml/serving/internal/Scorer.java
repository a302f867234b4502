package io.tenantml.serving.internal;

import io.tenantml.feature.EncodedRecord;
import io.tenantml.feature.FeatureTransform;
import io.tenantml.feature.InvalidFeatureValueException;
import io.tenantml.model.Objective;
import io.tenantml.model.TargetEncoding;
import io.tenantml.serving.Prediction;
import io.tenantml.serving.PredictionWarning;
import io.tenantml.serving.ServedModel;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TimeOrderedIds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Scores records with a loaded model through the model's own {@link FeatureTransform}, and shapes XGBoost's
 * raw output into {@link Prediction}s. Stateless; safe for concurrent use on one model.
 */
public final class Scorer {

    /** Encoded records with their predictions and what to warn about. */
    public record Scored(List<EncodedRecord> encoded, List<Prediction> predictions, List<PredictionWarning> warnings) {}

    /** Records through the model's transform: one row each in {@code data} (row-major), and the warnings. */
    public record Encoded(List<EncodedRecord> records, float[] data, List<PredictionWarning> warnings) {}

    private Scorer() {}

    /**
     * Encodes and scores JSON records.
     *
     * @throws ProblemException 400 naming the record index and field of a value of the wrong type
     */
    public static Scored score(ServedModel model, List<Map<String, Object>> records, boolean explain)
            throws XGBoostError {
        Encoded encoded = encode(model, records);
        return new Scored(
                encoded.records(), predict(model, encoded.data(), records.size(), explain), encoded.warnings());
    }

    /**
     * Encodes JSON records through the model's own transform.
     *
     * @throws ProblemException 400 naming the record index, the field and the check (as ingestion names it) of
     *     a value ingestion would refuse in that column
     */
    public static Encoded encode(ServedModel model, List<Map<String, Object>> records) {
        FeatureTransform transform = model.transform();
        List<EncodedRecord> encoded = new ArrayList<>(records.size());
        List<PredictionWarning> warnings = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Map<String, Object> record = records.get(i);
            if (record == null) {
                throw new ProblemException(
                        Problem.of(400, "invalid-record", "Bad request", "record " + i + " must be a JSON object")
                                .with("record", i));
            }
            EncodedRecord e;
            try {
                e = transform.encode(record);
            } catch (InvalidFeatureValueException ex) {
                throw new ProblemException(
                        Problem.of(400, "invalid-feature-value", "Bad request", "record " + i + ": " + ex.getMessage())
                                .with("record", i)
                                .with("field", ex.field())
                                .with("check", ex.check().wireName()));
            }
            encoded.add(e);
            warn(warnings, i, e);
        }
        int width = model.width();
        float[] data = new float[records.size() * width];
        for (int i = 0; i < encoded.size(); i++) {
            System.arraycopy(encoded.get(i).features(), 0, data, i * width, width);
        }
        return new Encoded(encoded, data, warnings);
    }

    /** Scores row-major encoded features (batch): {@code rows x transform().width()}, NaN for missing. */
    public static List<Prediction> predict(ServedModel model, float[] data, int rows, boolean explain)
            throws XGBoostError {
        if (data.length != (long) rows * model.width()) {
            throw new IllegalArgumentException(
                    "data has " + data.length + " values, expected " + rows + " x " + model.width());
        }
        Booster booster = model.model().booster();
        if (!explain) {
            // In-place prediction: no DMatrix, so no OpenMP region per request (XGBoost4J builds a DMatrix
            // from a float[] with all cores, and idle OpenMP teams spin, which starves concurrent requests);
            // it runs on the booster's single thread. Categorical splits live in the trees, so the result is
            // the DMatrix one (ScorerTest checks it).
            float[][] out = booster.inplace_predict(data, rows, model.width(), Float.NaN);
            List<Prediction> predictions = new ArrayList<>(rows);
            for (int r = 0; r < rows; r++) {
                predictions.add(shape(model.model().target(), out[r], null, null, null));
            }
            return predictions;
        }
        // With the feature types computed once per model (names are not needed: XGBoost matches features by
        // position). SHAP values need a DMatrix.
        DMatrix matrix = FeatureTransform.positionalMatrix(data, rows, model.width(), model.featureTypes());
        try {
            float[][] out = booster.predict(matrix);
            float[][] margins = booster.predict(matrix, true);
            float[][] contributions = booster.predictContrib(matrix, 0);
            String[] names = model.featureNames();
            List<Prediction> predictions = new ArrayList<>(rows);
            for (int r = 0; r < rows; r++) {
                predictions.add(shape(model.model().target(), out[r], margins[r], contributions[r], names));
            }
            return predictions;
        } finally {
            matrix.dispose();
        }
    }

    private static Prediction shape(
            TargetEncoding target, float[] out, float[] margin, float[] contributions, String[] names) {
        UUID id = TimeOrderedIds.next();
        Objective objective = target.objective();
        return switch (objective) {
            case REGRESSION ->
                new Prediction(
                        id,
                        out[0],
                        null,
                        null,
                        explain(contributions, names, 0),
                        margin == null ? null : (double) margin[0]);
            case BINARY ->
                new Prediction(
                        id,
                        out[0],
                        target.classes().get(out[0] >= 0.5f ? 1 : 0),
                        null,
                        explain(contributions, names, 0),
                        margin == null ? null : (double) margin[0]);
            case MULTICLASS -> {
                int best = 0;
                Map<String, Double> probabilities = new LinkedHashMap<>();
                for (int c = 0; c < out.length; c++) {
                    probabilities.put(target.classes().get(c), (double) out[c]);
                    if (out[c] > out[best]) {
                        best = c;
                    }
                }
                yield new Prediction(
                        id,
                        out[best],
                        target.classes().get(best),
                        probabilities,
                        explain(contributions, names, best),
                        margin == null ? null : (double) margin[best]);
            }
        };
    }

    /** SHAP values of one output group: XGBoost lays them out per class as [features..., bias]. */
    private static Map<String, Double> explain(float[] contributions, String[] names, int group) {
        if (contributions == null) {
            return null;
        }
        int stride = names.length + 1;
        Map<String, Double> map = new LinkedHashMap<>();
        for (int f = 0; f < names.length; f++) {
            map.put(names[f], (double) contributions[group * stride + f]);
        }
        map.put(Prediction.BIAS, (double) contributions[group * stride + names.length]);
        return map;
    }

    private static void warn(List<PredictionWarning> warnings, int record, EncodedRecord e) {
        for (String field : e.missing()) {
            warnings.add(new PredictionWarning(
                    record,
                    field,
                    PredictionWarning.MISSING,
                    "record " + record + ": '" + field + "' is missing; predicted with it as a missing value"));
        }
        for (String field : e.unseen()) {
            warnings.add(new PredictionWarning(
                    record,
                    field,
                    PredictionWarning.UNSEEN,
                    "record " + record + ": the value of '" + field
                            + "' was not seen in training; treated as missing"));
        }
        for (String field : e.unknownFields()) {
            warnings.add(new PredictionWarning(
                    record,
                    field,
                    PredictionWarning.UNKNOWN,
                    "record " + record + ": '" + field + "' is not a feature of this model; ignored"));
        }
    }
}
