package io.tenantml.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tenantml.shared.JsonBodies;
import java.util.Locale;

/**
 * What an upload does with rows that fail the schema (type, null, range, allowed values).
 *
 * @param maxInvalidRowFraction above this share of invalid rows the upload is refused (422)
 * @param onInvalidRows {@code quarantine}: invalid rows are kept aside, readable through the quarantine
 *                      endpoint, the rest is stored; {@code reject}: any invalid row refuses the upload
 */
public record IngestPolicy(Double maxInvalidRowFraction, OnInvalidRows onInvalidRows) {

    public static final double DEFAULT_MAX_INVALID_ROW_FRACTION = 0.05;

    public IngestPolicy {
        maxInvalidRowFraction =
                maxInvalidRowFraction == null ? DEFAULT_MAX_INVALID_ROW_FRACTION : maxInvalidRowFraction;
        if (maxInvalidRowFraction.isNaN() || maxInvalidRowFraction < 0 || maxInvalidRowFraction > 1) {
            throw new JsonBodies.InvalidValue(
                    "maxInvalidRowFraction", "maxInvalidRowFraction must be within 0..1, was " + maxInvalidRowFraction);
        }
        onInvalidRows = onInvalidRows == null ? OnInvalidRows.QUARANTINE : onInvalidRows;
    }

    public static IngestPolicy defaults() {
        return new IngestPolicy(null, null);
    }

    public enum OnInvalidRows {
        QUARANTINE,
        REJECT;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static OnInvalidRows fromWire(String value) {
            for (OnInvalidRows v : values()) {
                if (v.wireName().equals(value)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("onInvalidRows must be 'quarantine' or 'reject', was '" + value + "'");
        }
    }
}
