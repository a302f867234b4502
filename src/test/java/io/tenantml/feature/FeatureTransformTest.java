package io.tenantml.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantml.dataset.CellCheck;
import io.tenantml.dataset.ColumnSchema;
import io.tenantml.dataset.ColumnType;
import io.tenantml.dataset.DatasetSchema;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.DMatrix;
import org.junit.jupiter.api.Test;

class FeatureTransformTest {

    private static final DatasetSchema SCHEMA = new DatasetSchema(
            List.of(
                    new ColumnSchema("id", ColumnType.TEXT, false, null, null, null),
                    new ColumnSchema("amount", ColumnType.NUMERIC, true, null, null, null),
                    new ColumnSchema("count", ColumnType.INTEGER, true, null, null, null),
                    new ColumnSchema("member", ColumnType.BOOLEAN, true, null, null, null),
                    new ColumnSchema("city", ColumnType.CATEGORICAL, true, null, null, null),
                    new ColumnSchema("at", ColumnType.TIMESTAMP, true, null, null, null)),
            "id",
            "at");

    private static final List<String> FEATURES = List.of("amount", "count", "member", "city", "at");
    // 2024-03-05 was a Tuesday: day 2 of the ISO week; 13:30 UTC is hour 13.5; 19787 days after 1970-01-01
    private static final Instant TUESDAY = Instant.parse("2024-03-05T13:30:00Z");

    private static FeatureTransform fitted() {
        FeatureTransform.Fitter fitter = FeatureTransform.fitter(SCHEMA, FEATURES);
        fitter.observe(new Object[] {"a", 1.0, 1L, true, "Paris", TUESDAY});
        fitter.observe(new Object[] {"b", 2.0, 2L, false, "Oslo", TUESDAY});
        fitter.observe(new Object[] {"c", null, null, null, "Oslo", null});
        return fitter.fit();
    }

    @Test
    void shouldEncodeEachKindAndKeepMissingAsNaN() {
        FeatureTransform transform = fitted();
        assertThat(transform.featureNames())
                .containsExactly(
                        "amount",
                        "count",
                        "member",
                        "city",
                        "at.dayOfWeek",
                        "at.hour",
                        "at.month",
                        "at.daysSinceEpoch");
        assertThat(transform.featureTypes()).containsExactly("q", "q", "q", "c", "q", "q", "q", "q");
        // dictionary sorted by name: Oslo 0, Paris 1
        assertThat(transform.inputs().get(3).categories()).containsExactly("Oslo", "Paris");

        float[] out = new float[transform.width()];
        transform.bind(SCHEMA).encode(new Object[] {"x", 2.5, 7L, true, "Paris", TUESDAY}, out, 0);
        assertThat(out).containsExactly(2.5f, 7f, 1f, 1f, 2f, 13.5f, 3f, 19787.5625f);

        transform.bind(SCHEMA).encode(new Object[] {"y", null, null, false, "Rome", null}, out, 0);
        assertThat(Float.isNaN(out[0])).isTrue();
        assertThat(Float.isNaN(out[1])).isTrue();
        assertThat(out[2]).isZero();
        assertThat(Float.isNaN(out[3])).as("unseen category becomes missing").isTrue();
        for (int i = 4; i < 8; i++) {
            assertThat(Float.isNaN(out[i])).isTrue();
        }
    }

    @Test
    void shouldEncodeANumberBeyondTheFloatRangeThatAnOlderVersionStoredAsMissingNotInfinite() {
        float[] out = new float[fitted().width()];
        for (double stored : new double[] {1e39, -1e39, Double.MAX_VALUE}) {
            fitted().bind(SCHEMA).encode(new Object[] {"x", stored, 7L, true, "Oslo", TUESDAY}, out, 0);
            assertThat(Float.isNaN(out[0])).as("%s", stored).isTrue();
            assertThat(out[1]).isEqualTo(7f);
        }
        fitted().bind(SCHEMA).encode(new Object[] {"x", 3.0e38, 7L, true, "Oslo", TUESDAY}, out, 0);
        assertThat(out[0]).as("the largest floats stay numbers").isEqualTo(3.0e38f);
    }

    @Test
    void shouldEncodeJsonRecordsLikeDatasetRowsAndReportWarnings() {
        FeatureTransform transform = fitted();
        Map<String, Object> record = new HashMap<>();
        record.put("amount", 2.5);
        record.put("count", 7);
        record.put("member", true);
        record.put("city", "Paris");
        record.put("at", "2024-03-05T13:30:00Z");
        float[] fromRow = new float[transform.width()];
        transform.bind(SCHEMA).encode(new Object[] {"x", 2.5, 7L, true, "Paris", TUESDAY}, fromRow, 0);
        assertThat(transform.encode(record).features()).containsExactly(fromRow);

        record.remove("amount");
        record.put("city", "Rome");
        record.put("colour", "red");
        EncodedRecord encoded = transform.encode(record);
        assertThat(encoded.missing()).containsExactly("amount");
        assertThat(encoded.unseen()).containsExactly("city");
        assertThat(encoded.unknownFields()).containsExactly("colour");
    }

    @Test
    void shouldRejectAStringWhereANumberBelongsNamingTheField() {
        assertThatThrownBy(() -> fitted().encode(Map.of("amount", "twelve")))
                .isInstanceOfSatisfying(InvalidFeatureValueException.class, e -> {
                    assertThat(e.field()).isEqualTo("amount");
                    assertThat(e.check()).isEqualTo(CellCheck.TYPE);
                    assertThat(e.getMessage()).isEqualTo("'amount': 'twelve' is not numeric");
                });
    }

    @Test
    void shouldAcceptANumberInAStringAsIngestionDoes() {
        // A CSV carries every number as text, and ingestion reads " 12.5 " as 12.5: so does serving.
        assertThat(fitted().encode(Map.of("amount", " 12.5 ")).features()[0]).isEqualTo(12.5f);
    }

    @Test
    void shouldAcceptAtServingTheDateTimesIngestionAccepts() {
        // Ingestion reads these as timestamps (CellParserTest); serving used to refuse them with a 400.
        FeatureTransform transform = fitted();
        Map<String, Instant> accepted = Map.of(
                "2024-01-01 10:00", Instant.parse("2024-01-01T10:00:00Z"),
                "Jan 5 2024", Instant.parse("2024-01-05T00:00:00Z"),
                "jan 5 2024", Instant.parse("2024-01-05T00:00:00Z"),
                "2024/01/01 10:00:30", Instant.parse("2024-01-01T10:00:30Z"),
                " 2024-01-01T10:00 ", Instant.parse("2024-01-01T10:00:00Z"));
        accepted.forEach((text, instant) -> assertThat(
                        transform.encode(Map.of("at", text)).features())
                .as(text)
                .containsExactly(rowFeatures(transform, new Object[] {"x", null, null, null, null, instant})));
    }

    @Test
    void shouldReadEpochMillisecondsAtServingAsIngestionDoes() {
        // JSON numbers in a timestamp column are epoch milliseconds, at ingestion (IngestionTest) as online.
        FeatureTransform transform = fitted();
        Instant instant = Instant.parse("2024-01-01T10:00:00Z");
        float[] expected = rowFeatures(transform, new Object[] {"x", null, null, null, null, instant});
        assertThat(transform.encode(Map.of("at", 1_704_103_200_000L)).features())
                .containsExactly(expected);
        assertThat(transform.encode(Map.of("at", 1.7041032e12)).features()).containsExactly(expected);
        assertThatThrownBy(() -> transform.encode(Map.of("at", 1_704_103_200_000.5)))
                .isInstanceOfSatisfying(
                        InvalidFeatureValueException.class,
                        e -> assertThat(e.field()).isEqualTo("at"));
        assertThatThrownBy(() -> transform.encode(Map.of("at", "1704103200000")))
                .as("a string of digits is no epoch: it could be a date such as 20240101")
                .isInstanceOf(InvalidFeatureValueException.class);
    }

    @Test
    void shouldAcceptAtServingTheBooleanWordsIngestionAccepts() {
        FeatureTransform transform = fitted();
        float[] yes = rowFeatures(transform, new Object[] {"x", null, null, true, null, null});
        float[] no = rowFeatures(transform, new Object[] {"x", null, null, false, null, null});
        for (Object value : List.of("yes", "Y", " TRUE ", "t", "1", 1, 1.0)) {
            assertThat(transform.encode(Map.of("member", value)).features())
                    .as("%s", value)
                    .containsExactly(yes);
        }
        for (Object value : List.of("no", "N", "false", "f", "0", 0)) {
            assertThat(transform.encode(Map.of("member", value)).features())
                    .as("%s", value)
                    .containsExactly(no);
        }
    }

    @Test
    void shouldEncodeCategorical1Point0AsIngestionStoredIt() {
        // JSON ingestion stores the number 1.0 in a categorical column as "1" (IngestionTest); a record sending
        // 1.0 online used to look up "1.0", an unseen category.
        DatasetSchema schema = new DatasetSchema(
                List.of(new ColumnSchema("plan", ColumnType.CATEGORICAL, true, null, null, null)), null, null);
        FeatureTransform.Fitter fitter = FeatureTransform.fitter(schema, List.of("plan"));
        fitter.observe(new Object[] {"1"});
        fitter.observe(new Object[] {"2"});
        FeatureTransform transform = fitter.fit();
        for (Object value : List.of(1.0, 1, 1L, "1", 1e0)) {
            EncodedRecord encoded = transform.encode(Map.of("plan", value));
            assertThat(encoded.unseen()).as("%s", value).isEmpty();
            assertThat(encoded.features()).as("%s", value).containsExactly(0f);
        }
        assertThat(transform.encode(Map.of("plan", "1.0")).unseen())
                .as("the string \"1.0\" is kept as it is, by ingestion as by serving")
                .containsExactly("plan");
    }

    @Test
    void shouldRefuseAtServingWhatIngestionQuarantinesNamingFieldAndCheck() {
        DatasetSchema schema = new DatasetSchema(
                List.of(
                        new ColumnSchema("seats", ColumnType.INTEGER, false, 0.0, 100.0, null),
                        new ColumnSchema("tier", ColumnType.CATEGORICAL, true, null, null, List.of("gold", "silver")),
                        new ColumnSchema("note", ColumnType.TEXT, true, null, null, null)),
                null,
                null);
        FeatureTransform transform =
                FeatureTransform.fromJson(FeatureTransform.fitter(schema, List.of("seats", "tier", "note"))
                        .fit()
                        .toJson());
        Map<String, Object> valid = new HashMap<>(Map.of("seats", 3, "tier", "gold", "note", "hello"));
        assertThat(transform.encode(valid).features()).containsExactly(3f, 0f, Float.NaN);

        assertRefused(transform, valid, "seats", 1.5, CellCheck.TYPE, "'seats': '1.5' is not integer");
        assertRefused(transform, valid, "seats", "NA", CellCheck.NOT_NULL, "'seats': missing value");
        assertRefused(transform, valid, "seats", null, CellCheck.NOT_NULL, "'seats': missing value");
        assertRefused(transform, valid, "seats", 101, CellCheck.RANGE, "'seats': 101 is outside [0, 100]");
        assertRefused(transform, valid, "tier", "bronze", CellCheck.ALLOWED_VALUES, "'tier': 'bronze' is not allowed");
        assertRefused(transform, valid, "note", Map.of("a", 1), CellCheck.TYPE, "'note': '{\"a\":1}' is not text");
        Map<String, Object> absent = new HashMap<>(valid);
        absent.remove("seats");
        assertThatThrownBy(() -> transform.encode(absent))
                .isInstanceOfSatisfying(
                        InvalidFeatureValueException.class,
                        e -> assertThat(e.check()).isEqualTo(CellCheck.NOT_NULL));
    }

    private static void assertRefused(
            FeatureTransform transform,
            Map<String, Object> valid,
            String field,
            Object value,
            CellCheck check,
            String message) {
        Map<String, Object> record = new HashMap<>(valid);
        record.put(field, value);
        assertThatThrownBy(() -> transform.encode(record))
                .as("%s = %s", field, value)
                .isInstanceOfSatisfying(InvalidFeatureValueException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.check()).isEqualTo(check);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void shouldRefuseToEncodeRowsWhoseColumnTypeIsEncodedOtherwise() {
        // A later dataset version that re-declares city as numeric holds Doubles where the model needs codes.
        DatasetSchema redeclared = new DatasetSchema(
                SCHEMA.columns().stream()
                        .map(c -> c.name().equals("city")
                                ? new ColumnSchema("city", ColumnType.NUMERIC, true, null, null, null)
                                : c)
                        .toList(),
                null,
                null);
        assertThatThrownBy(() -> fitted().bind(redeclared))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column 'city' is numeric in the dataset, but the model was trained on it as categorical");
        DatasetSchema integerAmounts = new DatasetSchema(
                SCHEMA.columns().stream()
                        .map(c -> c.name().equals("amount")
                                ? new ColumnSchema("amount", ColumnType.INTEGER, true, null, null, null)
                                : c)
                        .toList(),
                null,
                null);
        float[] out = new float[fitted().width()];
        fitted().bind(integerAmounts).encode(new Object[] {"x", 3L, 7L, true, "Oslo", TUESDAY}, out, 0);
        assertThat(out[0]).as("integer and numeric are both numbers").isEqualTo(3f);
    }

    private static float[] rowFeatures(FeatureTransform transform, Object[] row) {
        float[] out = new float[transform.width()];
        transform.bind(SCHEMA).encode(row, out, 0);
        return out;
    }

    @Test
    void shouldSurviveAJsonRoundTrip() {
        FeatureTransform transform = fitted();
        FeatureTransform back = FeatureTransform.fromJson(transform.toJson());
        assertThat(back).isEqualTo(transform);
        assertThat(back.toJson()).isEqualTo(transform.toJson());
    }

    @Test
    void shouldWriteTheGoldenFormatWithEachInputsColumnSchema() {
        // a golden string: a format change that would break saved models fails here (numeric inputs gained
        // their training range, min and max, for monitoring's out-of-range kind; older files read without it)
        String golden = """
                {"formatVersion":1,"inputs":[\
                {"column":"amount","kind":"numeric","schema":{"name":"amount","type":"numeric","nullable":true},\
                "min":1.0,"max":2.0},\
                {"column":"count","kind":"numeric","schema":{"name":"count","type":"integer","nullable":true},\
                "min":1.0,"max":2.0},\
                {"column":"member","kind":"boolean","schema":{"name":"member","type":"boolean","nullable":true}},\
                {"column":"city","kind":"categorical","categories":["Oslo","Paris"],\
                "schema":{"name":"city","type":"categorical","nullable":true}},\
                {"column":"at","kind":"timestamp","schema":{"name":"at","type":"timestamp","nullable":true}}]}""";
        assertThat(fitted().toJson()).isEqualTo(golden);
        assertThat(FeatureTransform.fromJson(golden)).isEqualTo(fitted());
    }

    @Test
    void shouldReadTransformsSavedBeforeColumnSchemasAsBeforeOrBetter() throws Exception {
        // Committed as saved by the code before inputs kept their column schema: no "schema" in any input.
        String saved;
        try (var in = getClass().getResourceAsStream("/feature/transform-without-column-schemas.json")) {
            saved = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        }
        FeatureTransform transform = FeatureTransform.fromJson(saved);
        assertThat(transform.toJson()).as("written back unchanged").isEqualTo(saved);
        assertThat(transform.inputs()).allSatisfy(input -> {
            assertThat(input.schema()).isNull();
            assertThat(input.accepts().isNullable()).isTrue();
        });
        assertThat(transform.inputs())
                .extracting(i -> i.accepts().type())
                .containsExactly(ColumnType.NUMERIC, ColumnType.BOOLEAN, ColumnType.CATEGORICAL, ColumnType.TIMESTAMP);

        // as before: numbers, booleans, strings, ISO-8601 and epoch milliseconds; missing values are NaN
        Map<String, Object> before =
                Map.of("amount", 2.5, "member", true, "city", "Paris", "at", "2024-03-05T13:30:00Z");
        assertThat(transform.encode(before).features()).containsExactly(2.5f, 1f, 1f, 2f, 13.5f, 3f, 19787.5625f);
        assertThat(transform.encode(Map.of("at", TUESDAY.toEpochMilli())).features())
                .containsExactly(Float.NaN, Float.NaN, Float.NaN, 2f, 13.5f, 3f, 19787.5625f);
        assertThat(transform.encode(Map.of()).missing()).containsExactly("amount", "member", "city", "at");
        assertThatThrownBy(() -> transform.encode(Map.of("amount", "a lot")))
                .isInstanceOfSatisfying(
                        InvalidFeatureValueException.class,
                        e -> assertThat(e.field()).isEqualTo("amount"));
        // better: what ingestion accepts is accepted here too
        Map<String, Object> better = Map.of("amount", "2.5", "member", "yes", "city", "Paris", "at", "Mar 5 2024");
        assertThat(transform.encode(better).features()).containsExactly(2.5f, 1f, 1f, 2f, 0f, 3f, 19787f);
    }

    @Test
    void shouldBuildAMatrixWithCategoricalFeatureTypes() throws Exception {
        FeatureTransform transform = fitted();
        float[] data = new float[transform.width() * 2];
        java.util.Arrays.fill(data, Float.NaN);
        DMatrix matrix = transform.matrix(data, 2);
        try {
            assertThat(matrix.getFeatureTypes()).containsExactly(transform.featureTypes());
            assertThat(matrix.rowNum()).isEqualTo(2);
            assertThat(matrix.nonMissingNum()).as("NaN is missing, not a value").isZero();
        } finally {
            matrix.dispose();
        }
    }
}
