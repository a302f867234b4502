package io.tenantml.monitoring;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** How a feature's values are compared: as numbers on a line, or as labels without order. */
@Schema(
        type = SchemaType.STRING,
        enumeration = {"numeric", "categorical"},
        description = "How a feature is compared")
public enum FeatureKind {
    NUMERIC,
    CATEGORICAL;

    /** On the wire in lower case with hyphens ({@code insufficient-data}), like every enum of the API. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
