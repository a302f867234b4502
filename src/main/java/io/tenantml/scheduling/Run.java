package io.tenantml.scheduling;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of the run ledger, as it is now. The id is also the id of the feature's own row (a training, a
 * batch prediction) that holds what the run produced.
 *
 * @param subject      what the run is about within its kind (a model name)
 * @param attempts     how many times it was started; 2 means its node died once and it was redone
 * @param progress     0..1, as the handler last reported
 * @param errorCode    a stable code when it failed, was cancelled or skipped; null otherwise
 * @param errorMessage a message safe to show the tenant (never exception or driver text); when the cause was
 *                     unexpected it names the incident id under which the log holds the exception
 */
public record Run(
        UUID id,
        String tenant,
        RunKind kind,
        String subject,
        RunState state,
        int attempts,
        double progress,
        boolean cancelRequested,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String errorCode,
        String errorMessage) {}
