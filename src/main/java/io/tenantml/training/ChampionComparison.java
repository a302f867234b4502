package io.tenantml.training;

import java.util.Map;

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

    public boolean compared() {
        return basis == Basis.HELD_OUT_ROWS || basis == Basis.SPLIT_UNKNOWN;
    }
}
