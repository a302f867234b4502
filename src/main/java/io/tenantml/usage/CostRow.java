package io.tenantml.usage;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.math.BigDecimal;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Cost of one group: the exact sum of its priced atoms (see {@link CostService}); keys not grouped by are absent.
 */
@Schema(description = "Cost of one group; keys not grouped by are absent. Decimals are strings (exact).")
public record CostRow(
        @Schema(description = "Tenant id (groupBy=tenant)", nullable = true)
        String tenant,

        @Schema(description = "UTC month YYYY-MM (groupBy=month)", nullable = true)
        String month,

        @Schema(description = "UTC day YYYY-MM-DD (groupBy=day)", nullable = true)
        String day,

        @Schema(description = "Meter name (groupBy=meter)", nullable = true)
        Meter meter,

        @Schema(
                description =
                        "Unit the rate card prices the meter in (groupBy=meter): records, cpu-seconds, GB-days, ...",
                nullable = true)
        MeterUnit billingUnit,

        @Schema(description = "Model (groupBy=model or version); empty for facts of no model", nullable = true)
        String model,

        @Schema(description = "Model version (groupBy=version)", nullable = true)
        Integer version,

        @Schema(
                description = "Quantity in billing units (groupBy=meter only: units differ between meters)",
                type = SchemaType.STRING,
                nullable = true)
        @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal quantity,

        @Schema(description = "Cost, exact, 6 decimal places", type = SchemaType.STRING)
        @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal cost,

        @Schema(description = "Currency of cost (the rate card's); null before any rate card", nullable = true)
        String currency,

        @Schema(description = "Rate card versions that priced this group's days")
        List<String> rateCardVersions,

        @Schema(
                description = "True when some of the group's usage had no price, and so cost 0: it fell on a day"
                        + " before the first rate card, or its meter is not priced by the rate card in force"
                        + " (a meter priced 0 is free, not unpriced)")
        boolean unpriced,

        @Schema(description = "The meters of the group's unpriced usage, sorted; empty when all of it was priced")
        List<Meter> unpricedMeters) {

    /** The group's keys, for the report's keyset cursor. */
    GroupKey key() {
        return new GroupKey(tenant, month, day, meter == null ? null : meter.wireName(), model, version);
    }
}
