package io.tenantml.training;

import io.tenantml.dataset.DatasetSchema;
import io.tenantml.model.Metrics;
import io.tenantml.registry.LoadedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The production version against a candidate, both scored on the same rows: those of the candidate's validation
 * rows that the champion did not train on (see {@link Split#heldOutBy}).
 *
 * @param version         the champion's version number
 * @param basis           which rows, and whether they were enough to compare on
 * @param champion        the champion's metrics on those rows; null unless compared
 * @param candidate       the candidate's metrics on the same rows; null unless compared
 * @param rows            how many rows that is
 * @param validationRows  how many validation rows the candidate has
 * @param minimumRows     the fewest rows a comparison is made on
 */
public record ChampionComparison(
        int version,
        Basis basis,
        Map<String, Double> champion,
        Map<String, Double> candidate,
        int rows,
        int validationRows,
        int minimumRows) {

    public enum Basis {
        /** scored on the validation rows the champion did not train on */
        HELD_OUT_ROWS,
        /**
         * the champion's split is not recorded (a version from before it was): scored on all validation rows,
         * some of which it may have trained on, which favours it
         */
        SPLIT_UNKNOWN,
        /** fewer held-out rows than the minimum, or the gate metric undefined on them: not compared */
        TOO_FEW_ROWS,
        /** another target encoding (other classes or objective): the two cannot be compared row by row */
        OTHER_TARGET
    }

    /**
     * Scores {@code champion} and {@code candidate} on the candidate's validation rows that the champion's recorded
     * split held out (see {@link Split#heldOutBy}), each through its own transform.
     *
     * @param minimumRows the fewest held-out rows to compare on (at least 1)
     */
    public static ChampionComparison of(
            int version,
            LoadedModel champion,
            ModelSpec spec,
            DatasetSchema schema,
            TrainedModel candidate,
            int minimumRows)
            throws XGBoostError {
        List<Object[]> validation = candidate.validationRows();
        int minimum = Math.max(1, minimumRows);
        if (!champion.target().equals(candidate.target())) {
            return new ChampionComparison(version, Basis.OTHER_TARGET, null, null, 0, validation.size(), minimum);
        }
        int[] heldOut = Split.heldOutBy(champion.provenance().split(), schema, validation);
        Basis basis = Basis.HELD_OUT_ROWS;
        if (heldOut == null) {
            // a version from before splits were recorded: all rows, as before (the gate's reason says so)
            heldOut = IntStream.range(0, validation.size()).toArray();
            basis = Basis.SPLIT_UNKNOWN;
        } else if (heldOut.length < minimum) {
            return tooFew(version, heldOut.length, validation.size(), minimum);
        }
        List<Object[]> rows = new ArrayList<>(heldOut.length);
        float[] labels = new float[heldOut.length];
        float[][] own = new float[heldOut.length][];
        for (int r = 0; r < heldOut.length; r++) {
            rows.add(validation.get(heldOut[r]));
            labels[r] = candidate.validationLabels()[heldOut[r]];
            own[r] = candidate.validationPredictions()[heldOut[r]];
        }
        Map<String, Double> theirs = Metrics.compute(spec.objective(), labels, champion.predictRows(schema, rows));
        Map<String, Double> ours = Metrics.compute(spec.objective(), labels, own);
        String metric = spec.gate().metric();
        if (basis == Basis.HELD_OUT_ROWS
                && !(Double.isFinite(theirs.get(metric)) && Double.isFinite(ours.get(metric)))) {
            // e.g. auc on held-out rows of one class
            return tooFew(version, heldOut.length, validation.size(), minimum);
        }
        return new ChampionComparison(version, basis, theirs, ours, heldOut.length, validation.size(), minimum);
    }

    private static ChampionComparison tooFew(int version, int rows, int validationRows, int minimum) {
        return new ChampionComparison(version, Basis.TOO_FEW_ROWS, null, null, rows, validationRows, minimum);
    }

    public boolean compared() {
        return basis == Basis.HELD_OUT_ROWS || basis == Basis.SPLIT_UNKNOWN;
    }
}
