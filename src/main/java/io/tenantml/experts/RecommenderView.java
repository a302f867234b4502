package io.tenantml.experts;

import java.time.Instant;
import java.util.UUID;

/**
 * A recommender as the API shows it, with the build whose generation answers now (if any).
 *
 * @param stale       the spec changed since the current generation was built in a way that changes what the
 *                    index contains (dataset, text, expert, time, tags or id columns): recommend still answers
 *                    from that generation until a new build is current
 * @param staleReason which fields changed and what answers meanwhile; null when not stale
 */
public record RecommenderView(
        String name,
        RecommenderSpec spec,
        UUID currentBuild,
        boolean stale,
        String staleReason,
        Instant createdAt,
        Instant updatedAt,
        String updatedBy) {}
