package io.tenantml.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantml.dataset.CellCheck;
import io.tenantml.dataset.CellParser;
import io.tenantml.dataset.ColumnSchema;
import io.tenantml.dataset.ColumnType;
import io.tenantml.dataset.DatasetRow;
import io.tenantml.dataset.DatasetSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The committed real data sets (src/test/resources/datasets) parsed into typed rows, standing in for
 * {@link io.tenantml.dataset.DatasetReader} in plain unit tests. Cells are read with
 * {@link CellParser#read}, as ingestion reads them, so these rows are the rows an upload would store.
 */
public final class TestDatasets {

    public record Fixture(DatasetSchema schema, List<DatasetRow> rows) {}

    private TestDatasets() {}

    public static Fixture penguins() {
        DatasetSchema schema = new DatasetSchema(
                List.of(
                        column("Species", ColumnType.CATEGORICAL),
                        column("Island", ColumnType.CATEGORICAL),
                        column("Beak Length (mm)", ColumnType.NUMERIC),
                        column("Beak Depth (mm)", ColumnType.NUMERIC),
                        column("Flipper Length (mm)", ColumnType.NUMERIC),
                        column("Body Mass (g)", ColumnType.NUMERIC),
                        column("Sex", ColumnType.CATEGORICAL)),
                null,
                null);
        return load("penguins.json", schema);
    }

    public static Fixture flights() {
        return flights("flights-20k.json");
    }

    public static Fixture flights(String file) {
        DatasetSchema schema = new DatasetSchema(
                List.of(
                        column("date", ColumnType.TIMESTAMP),
                        column("delay", ColumnType.INTEGER),
                        column("distance", ColumnType.INTEGER),
                        column("origin", ColumnType.CATEGORICAL),
                        column("destination", ColumnType.CATEGORICAL)),
                null,
                "date");
        return load(file, schema);
    }

    private static ColumnSchema column(String name, ColumnType type) {
        return new ColumnSchema(name, type, true, null, null, null);
    }

    private static Fixture load(String file, DatasetSchema schema) {
        try (InputStream in = TestDatasets.class.getResourceAsStream("/datasets/" + file)) {
            JsonNode array = new ObjectMapper().readTree(in);
            List<DatasetRow> rows = new ArrayList<>();
            long line = 0;
            for (JsonNode record : array) {
                Object[] values = new Object[schema.columns().size()];
                line++;
                for (int i = 0; i < values.length; i++) {
                    ColumnSchema column = schema.columns().get(i);
                    Object typed = CellParser.read(column, raw(record.get(column.name())));
                    if (typed instanceof CellCheck failed) {
                        throw new IllegalStateException(file + " record " + line + ", column '" + column.name()
                                + "' fails the " + failed.wireName() + " check");
                    }
                    values[i] = typed;
                }
                rows.add(new DatasetRow(line, values));
            }
            return new Fixture(schema, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The raw value of a JSON field as ingestion's streaming parser gives it. */
    private static Object raw(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.isIntegralNumber() && node.canConvertToLong() ? (Object) node.longValue() : node.numberValue();
        }
        return node; // an object or array: no column type accepts it, as ingestion accepts none
    }
}
