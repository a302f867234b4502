package io.tenantml.feature;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How one input column becomes features. Named apart in OpenAPI from monitoring's {@code FeatureKind} (how a
 * feature is compared), which the scanner would otherwise tell apart only as {@code FeatureKind1}, a name that
 * depends on the order it meets the two in.
 */
@Schema(name = "InputKind", description = "How one input column becomes features")
public enum FeatureKind {
    /** The number as it is (XGBoost type "q"). */
    NUMERIC,
    /** true 1, false 0 (type "q", so that a missing value stays distinguishable). */
    BOOLEAN,
    /** A code from the saved dictionary (type "c"); values outside it are missing. */
    CATEGORICAL,
    /** Day of week, hour of day, month and days since the epoch, in UTC (four "q" features). */
    TIMESTAMP;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static FeatureKind fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
