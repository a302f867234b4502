package io.tenantml.experts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Ranked experts for a question, from the generation of {@code build}, ranked by {@code ranker}. */
public record Recommendation(UUID build, RankerKind ranker, List<Expert> experts) {

    /** An expert, why, and the past answers that show it. {@code features}: only when explain was asked. */
    public record Expert(
            String expert, double score, List<Evidence> evidence, List<Reason> reasons, Map<String, Double> features) {}

    /** A past answer of the expert that matched: its id, an excerpt, when, and its fused match score. */
    public record Evidence(String id, String excerpt, Instant time, double score) {}

    /** One thing that counted for the expert. */
    public record Reason(ReasonKind kind, String detail) {}
}
