package io.tenantml.usage;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One limit of the tenant's plan beside what it limits now. */
@Schema(description = "A limit of the tenant's plan beside what the tenant has of it now")
public record QuotaUse(
        Limit limit,

        @Schema(description = "The limit in force; absent: unlimited")
        Long max,

        @Schema(description = "How much of it the tenant has now")
        long used,

        @Schema(description = "What is counted") String counts,

        @Schema(description = "When the count starts again from zero (per-day limits only)")
        Instant resetsAt,

        @Schema(
                description = "storedBytes only: the bytes by what stores them (datasets: versions' rows;"
                        + " models: model files; experts: recommender indexes; batch-predictions: results"
                        + " files), summing to used")
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        java.util.SortedMap<String, Long> parts) {

    public QuotaUse(Limit limit, Long max, long used, String counts, Instant resetsAt) {
        this(limit, max, used, counts, resetsAt, null);
    }
}
