package io.tenantml.model;

/**
 * The gate's verdict on one candidate.
 *
 * @param champion the production version's score on the same validation rows; null when there is none
 * @param reason   why it passed or was rejected, for people
 */
public record GateDecision(
        boolean passed, String metric, double candidate, Double champion, double baseline, String reason) {}
