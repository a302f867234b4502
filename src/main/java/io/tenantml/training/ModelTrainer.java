package io.tenantml.training;

import io.tenantml.dataset.DatasetRow;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.feature.FeatureTransform;
import io.tenantml.model.Metrics;
import io.tenantml.model.TargetEncoding;
import io.tenantml.model.TrainingWarning;
import io.tenantml.model.XGBoostParams;
import io.tenantml.monitoring.ReferenceProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The training pipeline without any infrastructure: rows in, a {@link TrainedModel} out. Rows with a
 * missing target are skipped. The feature transform is fitted on the training split only (categories
 * that only appear in validation are unseen, as they would be in production).
 */
public final class ModelTrainer {

    private ModelTrainer() {}

    public static TrainedModel train(
            ModelSpec spec, DatasetSchema schema, Iterator<DatasetRow> rows, int threads, BoostingListener listener)
            throws XGBoostError {
        return train(spec, schema, rows, threads, listener, LeakageCheck.Settings.DEFAULTS);
    }

    /** As {@link #train(ModelSpec, DatasetSchema, Iterator, int, BoostingListener)}, with the leakage settings. */
    public static TrainedModel train(
            ModelSpec spec,
            DatasetSchema schema,
            Iterator<DatasetRow> rows,
            int threads,
            BoostingListener listener,
            LeakageCheck.Settings leakage)
            throws XGBoostError {
        List<String> features = spec.resolveFeatures(schema);
        int targetAt = schema.indexOf(spec.target());
        int timeAt = schema.timeColumn() == null ? -1 : schema.indexOf(schema.timeColumn());
        List<Object[]> all = new ArrayList<>();
        while (rows.hasNext()) {
            Object[] values = rows.next().values();
            if (values[targetAt] != null) {
                all.add(values);
            }
        }
        TargetEncoding target = TargetEncoding.fit(
                spec.objective(),
                spec.target(),
                spec.positive(),
                () -> all.stream().map(v -> v[targetAt]).iterator());
        Function<Object, Float> labeller = target.labeller();
        List<Instant> times =
                timeAt < 0 ? null : all.stream().map(v -> (Instant) v[timeAt]).toList();
        XGBoostParams params = spec.params();
        Split split = Split.of(all, schema, spec.split(), params.seed(), times);

        FeatureTransform.Fitter fitter = FeatureTransform.fitter(schema, features);
        for (int i : split.train()) {
            fitter.observe(all.get(i));
        }
        FeatureTransform transform = fitter.fit();
        FeatureTransform.RowEncoder encoder = transform.bind(schema);

        float[] trainLabels = labels(all, split.train(), targetAt, labeller);
        float[] validLabels = labels(all, split.validation(), targetAt, labeller);
        List<Object[]> validationRows = new ArrayList<>(split.validation().length);
        for (int i : split.validation()) {
            validationRows.add(all.get(i));
        }
        float[] trainData = encoder.encode(all, split.train());
        float[] validData = encoder.encode(all, split.validation());
        List<TrainingWarning> warnings = LeakageCheck.check(
                spec.objective(),
                target.numClass(),
                transform,
                trainData,
                trainLabels,
                validData,
                validLabels,
                leakage);
        DMatrix train = encoder.matrix(trainData, split.train().length, trainLabels);
        DMatrix valid = encoder.matrix(validData, split.validation().length, validLabels);
        try {
            XGBoostTrainer.Boosted boosted = XGBoostTrainer.boost(
                    train,
                    valid,
                    params.boosterParams(spec.objective(), target.numClass(), threads),
                    params.numRounds(),
                    params.earlyStoppingRounds(),
                    listener);
            Booster booster = boosted.booster();
            try {
                float[][] validPredictions = booster.predict(valid);
                Map<String, Double> metrics = Metrics.compute(spec.objective(), validLabels, validPredictions);
                ReferenceProfile reference = ReferenceProfiler.profile(
                        spec.objective(),
                        target,
                        transform,
                        trainData,
                        split.train().length,
                        validLabels,
                        validPredictions,
                        params.seed());
                Map<String, Double> baseline =
                        Metrics.baseline(spec.objective(), trainLabels, validLabels, target.numClass());
                return new TrainedModel(
                        transform,
                        target,
                        booster,
                        boosted.rounds(),
                        boosted.bestIteration(),
                        metrics,
                        baseline,
                        importance(booster, transform),
                        split.train().length,
                        validationRows,
                        validLabels,
                        validPredictions,
                        split.provenance(),
                        warnings,
                        reference);
            } catch (XGBoostError | RuntimeException e) {
                booster.dispose();
                throw e;
            }
        } finally {
            train.dispose();
            valid.dispose();
        }
    }

    private static float[] labels(List<Object[]> rows, int[] selected, int targetAt, Function<Object, Float> labeller) {
        float[] labels = new float[selected.length];
        for (int r = 0; r < selected.length; r++) {
            Object value = rows.get(selected[r])[targetAt];
            Float label = labeller.apply(value);
            if (label == null) {
                throw new IllegalArgumentException("target value '" + value + "' has no label");
            }
            labels[r] = label;
        }
        return labels;
    }

    /** Gain importance per feature name; features never used in a split get 0 so that every one is listed. */
    private static Map<String, Double> importance(Booster booster, FeatureTransform transform) throws XGBoostError {
        Map<String, Double> gains = booster.getScore((String) null, "gain");
        Map<String, Double> all = new LinkedHashMap<>();
        for (String name : transform.featureNames()) {
            all.put(name, gains.getOrDefault(name, 0.0));
        }
        return all;
    }
}
