package io.tenantml.feature;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What an online record's raw value of one input was, before it was encoded; the encoded value alone
 * cannot tell a missing value from an unseen category (both become NaN). The codes are stored in the
 * prediction log: never renumber them, only add.
 */
public enum ValueKind {
    /** A value of the input's type inside what training saw (for numbers: within the training range). */
    PRESENT(0),
    /** Absent or null. */
    MISSING(1),
    /** A categorical value outside the saved dictionary (encoded as missing). */
    UNSEEN_CATEGORY(2),
    /** A number below the training rows' minimum or above their maximum (encoded as it is). */
    OUT_OF_RANGE(3),
    /** A value ingestion would have refused for the column (wrong type or constraint); the record was refused. */
    REFUSED(4);

    private static final ValueKind[] BY_CODE = values();

    private final int code;

    ValueKind(int code) {
        this.code = code;
    }

    /** The stable number the prediction log stores (4 bits). */
    public int code() {
        return code;
    }

    public static ValueKind ofCode(int code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code].code != code) {
            throw new IllegalArgumentException("unknown value kind code " + code);
        }
        return BY_CODE[code];
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static ValueKind fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
