package io.tenantml.monitoring;

import java.util.List;
import java.util.UUID;

/**
 * @param accepted   feedback items stored (repeats of one prediction count once per request)
 * @param unknownIds prediction ids this model never gave in the prediction log; nothing stored for them
 */
public record FeedbackReceipt(int accepted, List<UUID> unknownIds) {}
