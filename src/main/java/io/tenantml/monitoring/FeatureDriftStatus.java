package io.tenantml.monitoring;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A feature's (or a whole window's) drift verdict. */
@Schema(
        type = SchemaType.STRING,
        enumeration = {"ok", "warning", "drift", "insufficient-data"},
        description = "Status of a feature, an output or a monitoring window")
public enum FeatureDriftStatus {
    /** No significant difference of a size that matters. */
    OK,
    /** A significant difference, of moderate size: watch it. */
    WARNING,
    /** A significant difference at least as large as the model's drift threshold. */
    DRIFT,
    /** Too few values in the window or the reference to say either way. */
    INSUFFICIENT_DATA;

    /** On the wire in lower case with hyphens ({@code insufficient-data}), like every enum of the API. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
