package io.tenantml.experts;

import java.time.Instant;
import java.util.UUID;

/** A recommender as the API shows it, with the build whose generation answers now (if any). */
public record RecommenderView(
        String name, RecommenderSpec spec, UUID currentBuild, Instant createdAt, Instant updatedAt, String updatedBy) {}
