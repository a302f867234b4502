package io.tenantml.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/** The columns of a dataset, in order, with the optional primary-key and time columns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetSchema(List<ColumnSchema> columns, String primaryKey, String timeColumn) {

    public DatasetSchema {
        if (columns == null) {
            throw new IllegalArgumentException("columns is required");
        }
        for (int i = 0; i < columns.size(); i++) { // not contains(null): List.of refuses the question
            if (columns.get(i) == null) {
                throw new IllegalArgumentException(
                        "columns[" + i + "] is null; each column is an object with a name and a type");
            }
        }
        columns = List.copyOf(columns);
    }

    public Optional<ColumnSchema> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
