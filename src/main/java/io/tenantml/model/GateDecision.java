package io.tenantml.model;

/**
 * The gate's verdict on one candidate.
 *
 * @param candidate              the candidate's score on all its validation rows (what beats the baseline)
 * @param champion               the production version's score on the rows it was compared on
 *                               ({@code championRows}); null when it was not compared
 * @param baseline               the baseline's score on all the candidate's validation rows
 * @param reason                 why it passed or was rejected, for people
 * @param candidateOnChampionRows the candidate's score on the rows the champion was scored on; null when the
 *                               champion was not compared
 * @param championRows           how many of the candidate's validation rows both were scored on: those the
 *                               champion did not train on, or all of them when its split is unknown (a version
 *                               from before splits were recorded); null when the champion was not compared
 */
public record GateDecision(
        boolean passed,
        String metric,
        double candidate,
        Double champion,
        double baseline,
        String reason,
        Double candidateOnChampionRows,
        Integer championRows) {}
