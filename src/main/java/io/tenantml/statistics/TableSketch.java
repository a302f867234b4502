package io.tenantml.statistics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The column sketches of one table (a dataset version, a model's features in one window), by column name, in
 * the order they were added; merged column by column and stored as one byte array.
 */
public final class TableSketch {

    private final Map<String, ColumnSketch> columns = new LinkedHashMap<>();

    /**
     * Adds a column; the table keeps this very sketch (no copy), so updating it afterwards updates the table.
     *
     * @throws IllegalArgumentException when the table already has a column of that name
     */
    public TableSketch add(String name, ColumnSketch sketch) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sketch, "sketch");
        if (columns.putIfAbsent(name, sketch) != null) {
            throw new IllegalArgumentException("The table already has a column named '" + name + "'");
        }
        return this;
    }

    /** The table's own sketch of that column (not a copy). */
    public Optional<ColumnSketch> column(String name) {
        return Optional.ofNullable(columns.get(name));
    }

    public List<String> columnNames() {
        return List.copyOf(columns.keySet());
    }

    /**
     * Merges the other table's columns into this one by name; a column only the other has is added as a copy.
     * The other is unchanged.
     *
     * @throws IllegalArgumentException when a column of the same name has another kind (nothing is merged then)
     */
    public void merge(TableSketch other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            throw new IllegalArgumentException("A sketch cannot be merged into itself; merge a copy()");
        }
        other.columns.forEach((name, theirs) -> {
            ColumnSketch ours = columns.get(name);
            if (ours != null && ours.kind() != theirs.kind()) {
                throw new IllegalArgumentException("Column '" + name + "' is " + ours.kind() + " here and "
                        + theirs.kind() + " in the table merged into it");
            }
        });
        other.columns.forEach((name, theirs) -> {
            ColumnSketch ours = columns.get(name);
            if (ours == null) {
                columns.put(name, theirs.copy());
            } else {
                ours.merge(theirs);
            }
        });
    }

    public TableSketch copy() {
        return fromBytes(toBytes());
    }

    public byte[] toBytes() {
        SketchBytes.Writer out = new SketchBytes.Writer(SketchBytes.Kind.TABLE).writeInt(columns.size());
        columns.forEach((name, sketch) -> out.writeString(name).writeBlock(sketch.toBytes()));
        return out.toByteArray();
    }

    /** @throws SketchFormatException when the bytes are not a table sketch this code can read */
    public static TableSketch fromBytes(byte[] bytes) {
        SketchBytes.Reader in = SketchBytes.Reader.open(bytes, SketchBytes.Kind.TABLE);
        int n = in.readInt();
        if (n < 0) {
            throw in.invalid(n + " columns");
        }
        TableSketch table = new TableSketch();
        for (int i = 0; i < n; i++) {
            String name = in.readString();
            ColumnSketch sketch = ColumnSketch.fromBytes(in.readBlock());
            if (table.columns.putIfAbsent(name, sketch) != null) {
                throw in.invalid("column '" + name + "' appears twice");
            }
        }
        in.end();
        return table;
    }
}
