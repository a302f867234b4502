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
        Instant resetsAt) {}
