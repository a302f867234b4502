package io.tenantml.usage;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.SortedMap;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One limit of the tenant's plan beside what it limits now. */
@Schema(description = "A limit of the tenant's plan beside what the tenant has of it now")
public record QuotaUse(
        Limit limit,

        @Schema(description = "The limit in force; absent: unlimited")
        Long max,

        @Schema(
                description = "How much of it the tenant has now; absent only when what keeps it could not be asked"
                        + " (then unavailable says why)")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        Long used,

        @Schema(description = "What is counted") String counts,

        @Schema(description = "When the count starts again from zero (per-day limits only)")
        Instant resetsAt,

        @Schema(
                description = "storedBytes only: the bytes by what stores them (datasets: versions' rows;"
                        + " models: model files; experts: recommender indexes; batch-predictions: results"
                        + " files), summing to used")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        SortedMap<String, Long> parts,

        @Schema(
                description = "Why used is absent: the service that keeps this count (Keycloak, for its integration"
                        + " clients) did not answer. The limit is still enforced when one more is created, which"
                        + " then fails 503 as long as the service is down.")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        String unavailable) {

    public QuotaUse(Limit limit, Long max, long used, String counts, Instant resetsAt) {
        this(limit, max, used, counts, resetsAt, null, null);
    }

    /** A count that could not be taken now: {@code reason} says which service did not answer. */
    static QuotaUse unavailable(Limit limit, Long max, String counts, String reason) {
        return new QuotaUse(limit, max, null, counts, null, null, reason);
    }
}
