package io.tenantml.experts;

import java.time.Instant;
import java.util.UUID;

/** A build as the API shows it. {@code current}: its generation is the one answering now. */
public record BuildView(
        UUID id,
        String recommender,
        String dataset,
        Integer datasetVersion,
        BuildStatus status,
        BuildTrigger trigger,
        double progress,
        String phase,
        int attempts,
        Integer rowsIndexed,
        Integer rowsEmbedded,
        String indexSha256,
        Long indexBytes,
        RankerKind served,
        BuildEvaluation evaluation,
        BuildProvenance provenance,
        String gateReason,
        String error,
        boolean current,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {}
