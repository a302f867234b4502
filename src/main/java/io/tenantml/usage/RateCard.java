package io.tenantml.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One version of the rate card: the price of one billing unit of each meter ({@link Meter#billingUnit}), in force
 * for usage of UTC days from {@code effectiveFrom} until the next version's effective day. Immutable once written.
 */
@Schema(description = "A rate card version: prices per billing unit of each meter, in force from its effective day")
public record RateCard(
        @Schema(description = "Version name, e.g. 2026-12") String version,

        @Schema(description = "First UTC day (YYYY-MM-DD) whose usage this version prices")
        LocalDate effectiveFrom,

        @Schema(description = "ISO 4217 currency of every price and cost, e.g. EUR")
        String currency,

        @Schema(
                description = "Meter name to price per billing unit, as a decimal string (records, queries,"
                        + " calls, deliveries, seconds, cpu-seconds, rows: per unit; ingest.bytes: per GB;"
                        + " storage.byte_days: per GB-day; GB = 10^9 bytes). A meter not listed costs 0.",
                type = SchemaType.OBJECT)
        Map<String, String> prices,

        @Schema(description = "Why this version exists (free text)", nullable = true)
        String note,

        @Schema(description = "When it was written") Instant createdAt,

        @Schema(description = "Who wrote it (the operator's credential)")
        String createdBy) {}
