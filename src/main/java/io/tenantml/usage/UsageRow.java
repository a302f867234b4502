package io.tenantml.usage;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One group of usage: the group's keys (only those asked for in {@code groupBy}; the others absent) and the sum
 * of its quantities in the meter's unit.
 */
@Schema(description = "Usage of one group; keys not grouped by are absent")
public record UsageRow(
        @Schema(description = "Tenant id (groupBy=tenant)", nullable = true)
        String tenant,

        @Schema(description = "UTC day YYYY-MM-DD (groupBy=day)", nullable = true)
        String day,

        @Schema(description = "UTC month YYYY-MM (groupBy=month)", nullable = true)
        String month,

        @Schema(description = "Meter name, e.g. predict.records")
        Meter meter,

        @Schema(description = "Unit of quantity, e.g. records, cpu-seconds, byte-days")
        MeterUnit unit,

        @Schema(description = "Model (groupBy=model or version); empty for facts of no model", nullable = true)
        String model,

        @Schema(description = "Model version (groupBy=version)", nullable = true)
        Integer version,

        @Schema(description = "Sum of the group's quantities")
        double quantity) {

    /** The group's keys, for the report's keyset cursor. */
    GroupKey key() {
        return new GroupKey(tenant, month, day, meter == null ? null : meter.wireName(), model, version);
    }
}
