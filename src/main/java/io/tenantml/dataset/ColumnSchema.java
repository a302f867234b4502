package io.tenantml.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/** One column of a dataset schema; {@code min}/{@code max} apply to numeric and integer columns only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnSchema(
        String name, ColumnType type, Boolean nullable, Double min, Double max, List<String> allowedValues) {

    public ColumnSchema {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        nullable = nullable == null || nullable;
        allowedValues = allowedValues == null ? null : List.copyOf(allowedValues);
    }

    public boolean isNullable() {
        return nullable;
    }
}
