package io.tenantml.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantml.dataset.ColumnSchema;
import io.tenantml.dataset.ColumnType;
import io.tenantml.dataset.DatasetRow;
import io.tenantml.dataset.DatasetSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The committed real data sets (src/test/resources/datasets) parsed into typed rows, standing in for
 * {@link io.tenantml.dataset.DatasetReader} in plain unit tests.
 */
public final class TestDatasets {

    public record Fixture(DatasetSchema schema, List<DatasetRow> rows) {}

    private static final DateTimeFormatter FLIGHT_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm");

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
                for (int i = 0; i < values.length; i++) {
                    ColumnSchema column = schema.columns().get(i);
                    JsonNode node = record.get(column.name());
                    values[i] = node == null || node.isNull() ? null : typed(column.type(), node);
                }
                rows.add(new DatasetRow(++line, values));
            }
            return new Fixture(schema, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object typed(ColumnType type, JsonNode node) {
        return switch (type) {
            case NUMERIC -> node.asDouble();
            case INTEGER -> node.asLong();
            case BOOLEAN -> node.asBoolean();
            case TIMESTAMP -> LocalDateTime.parse(node.asText(), FLIGHT_TIME).toInstant(ZoneOffset.UTC);
            case CATEGORICAL, TEXT -> node.asText();
        };
    }
}
