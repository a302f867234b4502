package io.tenantml.registry;

import java.time.Instant;
import java.util.Map;

/**
 * A version's figures without its transform, feature importance, provenance or aliases: what a list of models shows
 * of each one's production version. The whole version is {@link ModelRegistry#version}.
 *
 * @param approved whether a person approved it after its gate rejected it
 */
public record ModelVersionSummary(
        int version,
        Instant createdAt,
        VersionStatus status,
        boolean approved,
        Map<String, Double> metrics,
        ModelVersionView.DatasetLineage dataset) {}
