package io.tenantml.monitoring;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** How a drift test's p-value was obtained. */
@Schema(
        type = SchemaType.STRING,
        enumeration = {"exact", "asymptotic", "none"},
        description = "How a p-value was obtained")
public enum PValueMethod {
    /** From the exact null distribution of the statistic (small samples). */
    EXACT,
    /** From the statistic's asymptotic or approximating distribution. */
    ASYMPTOTIC,
    /** The test is a distance and gives no p-value. */
    NONE;

    /** On the wire in lower case with hyphens ({@code insufficient-data}), like every enum of the API. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
