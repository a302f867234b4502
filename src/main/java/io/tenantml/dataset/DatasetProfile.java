package io.tenantml.dataset;

import java.util.List;
import java.util.Optional;

/** The per-column profile of a stored version; later features use it as the drift reference. */
public record DatasetProfile(long rows, List<ColumnProfile> columns) {

    public DatasetProfile {
        columns = columns == null ? List.of() : List.copyOf(columns);
    }

    public Optional<ColumnProfile> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
