package io.tenantml.usage;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What is metered. Every meter aggregates by sum over time, so the figures of any grouping add up to the
 * total; storage is sampled once a day and therefore sums to byte-days.
 */
@Schema(
        enumeration = {
            "predict.records",
            "batch.records",
            "ingest.rows",
            "ingest.bytes",
            "training.cpu_seconds",
            "training.wall_seconds",
            "storage.byte_days",
            "recommend.queries",
            "embedding.calls",
            "index_build.cpu_seconds",
            "index_build.wall_seconds",
            "webhook.deliveries"
        })
public enum Meter {
    /** Records scored by {@code /predict} (per model and version); aggregated per minute in memory. */
    PREDICT_RECORDS("predict.records", MeterUnit.RECORDS),
    /** Records scored by a finished batch prediction (per model and version); one event per batch. */
    BATCH_RECORDS("batch.records", MeterUnit.RECORDS),
    /**
     * Rows accepted into a dataset version (quarantined rows excluded); one event per version, and one per upload
     * answered unchanged (validated like any other, but identical to the latest version, so no version was made).
     */
    INGEST_ROWS("ingest.rows", MeterUnit.ROWS),
    /** Bytes of the uploaded body of a dataset version; one event per version and per upload answered unchanged. */
    INGEST_BYTES("ingest.bytes", MeterUnit.BYTES, MeterUnit.GB, 1_000_000_000L),
    /**
     * CPU seconds of a training attempt (per model and, once registered, version): its wall time times the
     * XGBoost threads it held, i.e. the CPU allotted to it.
     */
    TRAINING_CPU_SECONDS("training.cpu_seconds", MeterUnit.CPU_SECONDS),
    /** Wall-clock seconds of a training attempt; one event per attempt. */
    TRAINING_WALL_SECONDS("training.wall_seconds", MeterUnit.SECONDS),
    /** Bytes a tenant stores, sampled once a day: the sum over days is byte-days. */
    STORAGE_BYTE_DAYS("storage.byte_days", MeterUnit.BYTE_DAYS, MeterUnit.GB_DAYS, 1_000_000_000L),
    /** Recommendation queries answered (per recommender); aggregated per minute in memory. */
    RECOMMEND_QUERIES("recommend.queries", MeterUnit.QUERIES),
    /**
     * Texts run through an embedding model (per recommender, {@code at} build or query; texts found in the
     * tenant's embedding cache are not counted): a query's are aggregated per minute in memory, a build attempt's
     * are one event per attempt.
     */
    EMBEDDING_CALLS("embedding.calls", MeterUnit.CALLS),
    /**
     * CPU seconds of an index build attempt (per recommender): its wall time times the threads it may hold, i.e. the
     * CPU allotted to it, as for trainings.
     */
    INDEX_BUILD_CPU_SECONDS("index_build.cpu_seconds", MeterUnit.CPU_SECONDS),
    /** Wall-clock seconds of an index build attempt; one event per attempt. */
    INDEX_BUILD_WALL_SECONDS("index_build.wall_seconds", MeterUnit.SECONDS),
    /** Webhook deliveries attempted; one event per delivery. */
    WEBHOOK_DELIVERIES("webhook.deliveries", MeterUnit.DELIVERIES);

    private final String wireName;
    private final MeterUnit unit;
    private final MeterUnit billingUnit;
    private final long unitsPerBillingUnit;

    Meter(String wireName, MeterUnit unit) {
        this(wireName, unit, unit, 1);
    }

    Meter(String wireName, MeterUnit unit, MeterUnit billingUnit, long unitsPerBillingUnit) {
        this.wireName = wireName;
        this.unit = unit;
        this.billingUnit = billingUnit;
        this.unitsPerBillingUnit = unitsPerBillingUnit;
    }

    /**
     * The unit a rate card prices: the metered unit, except bytes, priced per GB (10^9 bytes; storage per
     * GB-day). A power of ten, so a quantity in billing units is exact in decimal.
     */
    public MeterUnit billingUnit() {
        return billingUnit;
    }

    /** Metered units in one billing unit (1, or 10^9 for bytes). */
    public long unitsPerBillingUnit() {
        return unitsPerBillingUnit;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public MeterUnit unit() {
        return unit;
    }

    @JsonCreator
    public static Meter fromWire(String value) {
        for (Meter meter : values()) {
            if (meter.wireName.equals(value)) {
                return meter;
            }
        }
        throw new IllegalArgumentException("unknown meter '" + value + "'");
    }

    /** Null for an unknown name. */
    public static Meter find(String value) {
        for (Meter meter : values()) {
            if (meter.wireName.equals(value)) {
                return meter;
            }
        }
        return null;
    }
}
