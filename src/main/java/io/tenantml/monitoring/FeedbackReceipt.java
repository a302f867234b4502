package io.tenantml.monitoring;

import java.util.List;
import java.util.UUID;

/**
 * @param accepted   feedback items stored (repeats of one prediction count once per request)
 * @param unknownIds prediction ids this model has not given in the prediction log; nothing stored for them
 * @param pendingIds those of {@code unknownIds} minted in the last {@link FeedbackService#PENDING_WINDOW}: a
 *                   prediction made a moment ago on another node may not be written to the log yet, so the same
 *                   feedback sent again shortly may be accepted (a prediction that was not sampled never is)
 */
public record FeedbackReceipt(int accepted, List<UUID> unknownIds, List<UUID> pendingIds) {}
