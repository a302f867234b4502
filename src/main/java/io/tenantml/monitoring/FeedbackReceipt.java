package io.tenantml.monitoring;

import java.util.List;
import java.util.UUID;

/**
 * @param accepted   feedback items stored (repeats of one prediction count once per request)
 * @param unknownIds prediction ids this model has not given in the prediction log; nothing stored for them
 * @param pendingIds those of {@code unknownIds} minted in the last {@link FeedbackService#PENDING_WINDOW}: a
 *                   prediction made a moment ago on another node may not be written to the log yet, so the same
 *                   feedback sent again shortly may be accepted (a prediction that was not sampled never is)
 * @param unusable   accepted items whose label or value the predicting version cannot read as an outcome (a class
 *                   it does not know, a text for a regression): stored, as a new class may be real, but left out of
 *                   realised performance until the version that predicts knows it; in the order sent
 */
public record FeedbackReceipt(
        int accepted, List<UUID> unknownIds, List<UUID> pendingIds, List<UnusableFeedback> unusable) {

    /** An accepted item realised performance cannot use, with the version that predicted and what it takes. */
    public record UnusableFeedback(UUID predictionId, int version, String reason) {}
}
