package io.tenantml.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One column of a dataset schema; {@code min}/{@code max} apply to numeric and integer columns only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnSchema(
        String name, ColumnType type, Boolean nullable, Double min, Double max, List<String> allowedValues) {

    public ColumnSchema {
        // refusals a client reads (JsonBodies.describe): a declared column without them
        if (name == null) {
            throw new IllegalArgumentException("name is required");
        }
        if (type == null) {
            throw new IllegalArgumentException("type of '" + name + "' is required");
        }
        nullable = nullable == null || nullable;
        allowedValues = allowedValues == null ? null : List.copyOf(allowedValues);
    }

    public boolean isNullable() {
        return nullable;
    }
}
