package io.tenantml.experts;

import java.time.Instant;
import java.util.UUID;

/**
 * A build as the API shows it: its row and its run in the run ledger. {@code current}: its generation is the one
 * answering now.
 *
 * @param progress  0..1, the run's progress
 * @param attempts  2 when its node died during the first and it was redone
 * @param errorCode why it failed, was cancelled or skipped, as a stable code (e.g. {@code too-few-answers},
 *                  {@code no-new-data}, {@code interrupted}, {@code internal-error})
 * @param error     the same for people; never exception text (an unexpected failure names an incident id)
 */
public record BuildView(
        UUID id,
        String recommender,
        String dataset,
        Integer datasetVersion,
        BuildStatus status,
        BuildTrigger trigger,
        double progress,
        BuildPhase phase,
        int attempts,
        Integer rowsIndexed,
        Integer rowsEmbedded,
        String indexSha256,
        Long indexBytes,
        RankerKind served,
        BuildEvaluation evaluation,
        BuildProvenance provenance,
        String gateReason,
        String errorCode,
        String error,
        boolean current,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {}
