package io.tenantml.training;

import java.time.Instant;
import java.util.Map;

/**
 * A model spec as returned by the API, with the version each alias points to.
 */
public record ModelView(
        String name,
        ModelSpec spec,
        Map<String, Integer> aliases,
        Instant createdAt,
        Instant updatedAt,
        String updatedBy) {}
