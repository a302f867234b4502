package io.tenantml.usage;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a {@link Meter} counts in ({@link Meter#unit}), and what a rate card prices it in ({@link Meter#billingUnit}):
 * the same but for bytes, priced per GB.
 */
public enum MeterUnit {
    RECORDS("records"),
    ROWS("rows"),
    BYTES("bytes"),
    /** 10^9 bytes: the billing unit of bytes. */
    GB("GB"),
    CPU_SECONDS("cpu-seconds"),
    SECONDS("seconds"),
    BYTE_DAYS("byte-days"),
    /** 10^9 byte-days: the billing unit of stored bytes. */
    GB_DAYS("GB-days"),
    QUERIES("queries"),
    CALLS("calls"),
    DELIVERIES("deliveries");

    private final String wireName;

    MeterUnit(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static MeterUnit fromWire(String value) {
        for (MeterUnit v : values()) {
            if (v.wireName.equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown MeterUnit '" + value + "'");
    }
}
