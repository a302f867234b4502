package io.tenantml.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantml.dataset.ColumnSchema;
import io.tenantml.dataset.ColumnType;
import io.tenantml.dataset.DatasetFormat;
import io.tenantml.dataset.DatasetRow;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.dataset.internal.IngestionProbe;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Training and serving read values with the same code: for generated raw values of every column type, well-
 * formed and malformed, as a CSV carries them (strings) and as JSON carries them (numbers, booleans, strings,
 * null, nested values, absent fields), whatever ingestion stores, online scoring accepts and encodes to the
 * same features (training path: upload → typed row → stored and read back → {@link FeatureTransform#bind};
 * serving path: the JSON record as Jackson reads a request → {@link FeatureTransform#encode} of the transform
 * as saved and loaded), and whatever ingestion quarantines, online scoring refuses naming the field and the
 * same check. Seeded; jqwik prints the seed and the failing sample when a property fails.
 */
class TrainingServingParityTest {

    static final String SEED = "20261126";
    static final int TRIES = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMN = "x";

    @Property(tries = TRIES, seed = SEED, generation = GenerationMode.RANDOMIZED)
    void numericValuesMeanTheSameInTrainingAndServing(
            @ForAll("numericColumns") ColumnSchema column, @ForAll("numericCells") Cell cell) {
        assertSameMeaning(column, cell);
    }

    @Property(tries = TRIES, seed = SEED, generation = GenerationMode.RANDOMIZED)
    void integerValuesMeanTheSameInTrainingAndServing(
            @ForAll("integerColumns") ColumnSchema column, @ForAll("integerCells") Cell cell) {
        assertSameMeaning(column, cell);
    }

    @Property(tries = TRIES, seed = SEED, generation = GenerationMode.RANDOMIZED)
    void booleanValuesMeanTheSameInTrainingAndServing(
            @ForAll("booleanColumns") ColumnSchema column, @ForAll("booleanCells") Cell cell) {
        assertSameMeaning(column, cell);
    }

    @Property(tries = TRIES, seed = SEED, generation = GenerationMode.RANDOMIZED)
    void categoricalValuesMeanTheSameInTrainingAndServing(
            @ForAll("categoricalColumns") ColumnSchema column, @ForAll("textCells") Cell cell) {
        assertSameMeaning(column, cell);
    }

    @Property(tries = TRIES, seed = SEED, generation = GenerationMode.RANDOMIZED)
    void textValuesMeanTheSameInTrainingAndServing(
            @ForAll("textColumns") ColumnSchema column, @ForAll("textCells") Cell cell) {
        assertSameMeaning(column, cell);
    }

    @Property(tries = TRIES, seed = SEED, generation = GenerationMode.RANDOMIZED)
    void timestampValuesMeanTheSameInTrainingAndServing(
            @ForAll("timestampColumns") ColumnSchema column, @ForAll("timestampCells") Cell cell) {
        assertSameMeaning(column, cell);
    }

    /**
     * The one-record probe the properties above use stores what a whole upload stores: the same rows, in
     * order, and the same number of quarantined records.
     */
    @Property(tries = 60, seed = SEED, generation = GenerationMode.RANDOMIZED)
    void theProbeStoresWhatAWholeUploadStores(@ForAll("uploads") Upload upload) {
        DatasetSchema schema = schemaOf(upload.column());
        List<DatasetRow> expected = new ArrayList<>();
        long refused = 0;
        for (Cell cell : upload.cells()) {
            IngestionProbe.Ingested one = IngestionProbe.one(schema, cell.format(), cell.document());
            if (one.row() == null) {
                refused++;
            } else {
                expected.add(one.row());
            }
        }
        IngestionProbe.Uploaded whole = IngestionProbe.upload(schema, upload.format(), upload.document());
        assertThat(whole.quarantined()).isEqualTo(refused);
        assertThat(whole.rows()).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(whole.rows().get(i).values())
                    .containsExactly(expected.get(i).values());
        }
    }

    private static void assertSameMeaning(ColumnSchema column, Cell cell) {
        DatasetSchema schema = schemaOf(column);
        IngestionProbe.Ingested ingested = IngestionProbe.one(schema, cell.format(), cell.document());
        Map<String, Object> record = servingRecord(cell);
        if (ingested.row() != null) {
            Object[] row = ingested.row().values();
            FeatureTransform.Fitter fitter = FeatureTransform.fitter(schema, List.of(COLUMN));
            fitter.observe(row);
            FeatureTransform trained = fitter.fit();
            float[] training = new float[trained.width()];
            trained.bind(schema).encode(row, training, 0);

            FeatureTransform saved = FeatureTransform.fromJson(trained.toJson());
            EncodedRecord serving = saved.encode(record);

            assertThat(bits(serving.features()))
                    .as("features of %s: training %s, serving %s", cell, Arrays.toString(training), serving)
                    .isEqualTo(bits(training));
            assertThat(serving.missing()).isEqualTo(row[0] == null ? List.of(COLUMN) : List.of());
            assertThat(serving.unseen()).as("unseen in serving").isEmpty();
            Statistics.label("ingestion").collect(row[0] == null ? "missing" : "accepted");
        } else {
            IngestionProbe.Refusal refusal = ingested.refusals().getFirst();
            FeatureTransform transform =
                    FeatureTransform.fitter(schema, List.of(COLUMN)).fit();
            FeatureTransform saved = FeatureTransform.fromJson(transform.toJson());
            Throwable thrown = catchThrowable(() -> saved.encode(record));
            assertThat(thrown)
                    .as("serving %s, which ingestion refused: %s", cell, refusal)
                    .isInstanceOf(InvalidFeatureValueException.class);
            InvalidFeatureValueException invalid = (InvalidFeatureValueException) thrown;
            assertThat(invalid.field()).isEqualTo(COLUMN);
            assertThat(invalid.check().wireName()).isEqualTo(refusal.check());
            assertThat(invalid.getMessage()).isEqualTo("'" + COLUMN + "': " + refusal.message());
            Statistics.label("ingestion").collect("refused " + refusal.check());
        }
        Statistics.label("format").collect(cell.format());
        Statistics.label("ingestion").coverage(coverage -> {
            coverage.check("accepted").percentage(p -> p >= 20);
            coverage.check("refused type").percentage(p -> p >= 5);
        });
    }

    private static DatasetSchema schemaOf(ColumnSchema column) {
        return new DatasetSchema(List.of(column), null, null);
    }

    private static Map<String, Object> servingRecord(Cell cell) {
        try {
            return JSON.readValue(cell.request(), new TypeReference<>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the generator made invalid JSON: " + cell.request(), e);
        }
    }

    private static int[] bits(float[] features) {
        int[] bits = new int[features.length];
        for (int i = 0; i < features.length; i++) {
            bits[i] = Float.floatToIntBits(features[i]);
        }
        return bits;
    }

    /**
     * A raw value as an upload carries it: in a CSV, {@code text} is the cell; in JSON (NDJSON or an array),
     * {@code text} is the JSON value (null: the field is absent). The request an integration sends for it
     * carries the same: the CSV cell as a JSON string, the JSON value as it is.
     */
    record Cell(DatasetFormat format, String text) {

        /** An upload of this one value in column x (and a column k, so that no CSV line is empty). */
        String document() {
            return switch (format) {
                case CSV -> "k,x\n1," + csvQuoted(text) + "\n";
                case NDJSON -> jsonRecord() + "\n";
                case JSON -> "[" + jsonRecord() + "]";
            };
        }

        String jsonRecord() {
            return text == null ? "{\"k\":1}" : "{\"k\":1,\"x\":" + text + "}";
        }

        String request() {
            if (format != DatasetFormat.CSV) {
                return jsonRecord();
            }
            try {
                return "{\"k\":1,\"x\":" + JSON.writeValueAsString(text) + "}";
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        static String csvQuoted(String cell) {
            return "\"" + cell.replace("\"", "\"\"") + "\"";
        }

        @Override
        public String toString() {
            return format.wireName() + " " + (format == DatasetFormat.CSV ? csvQuoted(text) : text);
        }
    }

    /** Several values of one column in one upload of one format. */
    record Upload(ColumnSchema column, DatasetFormat format, List<Cell> cells) {

        String document() {
            StringBuilder out = new StringBuilder();
            switch (format) {
                case CSV -> {
                    out.append("k,x\n");
                    cells.forEach(c ->
                            out.append("1,").append(Cell.csvQuoted(c.text())).append('\n'));
                }
                case NDJSON -> cells.forEach(c -> out.append(c.jsonRecord()).append('\n'));
                case JSON -> {
                    out.append('[');
                    for (int i = 0; i < cells.size(); i++) {
                        out.append(i == 0 ? "" : ",").append(cells.get(i).jsonRecord());
                    }
                    out.append(']');
                }
            }
            return out.toString();
        }
    }

    // ---- columns: the type, nullable or not, and now and then declared bounds or allowed values ----

    @Provide
    Arbitrary<ColumnSchema> numericColumns() {
        return columns(ColumnType.NUMERIC, Arbitraries.of(List.of(List.of("1.0"), List.of("2.5", "-1.0"))));
    }

    @Provide
    Arbitrary<ColumnSchema> integerColumns() {
        return columns(ColumnType.INTEGER, Arbitraries.of(List.of(List.of("1", "2", "3"), List.of("0"))));
    }

    @Provide
    Arbitrary<ColumnSchema> booleanColumns() {
        return columns(ColumnType.BOOLEAN, Arbitraries.just(List.of("true")));
    }

    @Provide
    Arbitrary<ColumnSchema> categoricalColumns() {
        return columns(
                ColumnType.CATEGORICAL,
                Arbitraries.subsetOf(ALLOWED).ofMinSize(1).map(List::copyOf));
    }

    @Provide
    Arbitrary<ColumnSchema> textColumns() {
        return columns(
                ColumnType.TEXT, Arbitraries.subsetOf(ALLOWED).ofMinSize(1).map(List::copyOf));
    }

    @Provide
    Arbitrary<ColumnSchema> timestampColumns() {
        return columns(ColumnType.TIMESTAMP, Arbitraries.just(List.of("2024-01-05T00:00:00Z")));
    }

    /** Values the categorical and text cells use often, so that declared allowed values are hit and missed. */
    private static final List<String> ALLOWED = List.of("a", "B", "1", "2.5", "true", " x ", "1000");

    private static Arbitrary<ColumnSchema> columns(ColumnType type, Arbitrary<List<String>> allowed) {
        Arbitrary<Boolean> nullable = Arbitraries.frequency(Tuple.of(4, true), Tuple.of(1, false));
        boolean numeric = type == ColumnType.NUMERIC || type == ColumnType.INTEGER;
        Arbitrary<Double> bound = Arbitraries.frequency(
                Tuple.of(numeric ? 3 : 1, (Double) null),
                Tuple.of(numeric ? 1 : 0, -10.0),
                Tuple.of(numeric ? 1 : 0, 0.0),
                Tuple.of(numeric ? 1 : 0, 0.5),
                Tuple.of(numeric ? 1 : 0, 1e6));
        return Combinators.combine(
                        nullable,
                        bound,
                        bound,
                        Arbitraries.frequencyOf(
                                Tuple.of(6, Arbitraries.just((List<String>) null)), Tuple.of(1, allowed)))
                .as((n, min, max, values) -> new ColumnSchema(COLUMN, type, n, min, max, values));
    }

    // ---- cells: well-formed and malformed values of each type, as CSV text and as JSON values ----

    @Provide
    Arbitrary<Cell> numericCells() {
        return cells(
                Arbitraries.oneOf(decimalTexts(), integerTexts()),
                Arbitraries.oneOf(jsonDecimals(), jsonIntegers()),
                Arbitraries.of(
                        "1,5",
                        "12abc",
                        "0x1F",
                        "Infinity",
                        "-Infinity",
                        "-",
                        "+",
                        ".",
                        "1e",
                        "e5",
                        "1.2.3",
                        "--1",
                        "1 000",
                        "1_000",
                        "١٢",
                        "12.5.",
                        "1e5e5",
                        "0b101",
                        "1d",
                        "2f"));
    }

    @Provide
    Arbitrary<Cell> integerCells() {
        return cells(
                Arbitraries.oneOf(
                        integerTexts(),
                        Arbitraries.of(
                                "3.0",
                                "-0",
                                "1e3",
                                "+7",
                                "9000000000000000",
                                "8999999999999999",
                                "9223372036854775807",
                                "9223372036854775808",
                                "-9223372036854775809")),
                Arbitraries.oneOf(
                        jsonIntegers(),
                        Arbitraries.of(
                                "3.0",
                                "1e3",
                                "-0.0",
                                "8999999999999999.0",
                                "9.0e15",
                                "1.5",
                                "9223372036854775807",
                                "9223372036854775808")),
                Arbitraries.oneOf(decimalTexts(), Arbitraries.of("3.5", "1e-3", "one", "1,000")));
    }

    @Provide
    Arbitrary<Cell> booleanCells() {
        Arbitrary<String> words = Combinators.combine(
                        Arbitraries.of("true", "false", "t", "f", "yes", "no", "y", "n", "1", "0"),
                        Arbitraries.integers().between(0, 3))
                .as((word, casing) -> switch (casing) {
                    case 0 -> word;
                    case 1 -> word.toUpperCase(Locale.ROOT);
                    case 2 -> Character.toUpperCase(word.charAt(0)) + word.substring(1);
                    default -> word;
                });
        return cells(
                padded(words),
                Arbitraries.of("true", "false", "0", "1", "1.0", "0.0", "-0", "-0.0", "1e0", "2", "0.5", "-1"),
                Arbitraries.of("2", "yess", "truth", "ja", "oui", "on", "off", "10", "01", "true false", "+1", "1.0"));
    }

    @Provide
    Arbitrary<Cell> textCells() {
        Arbitrary<String> pool = Arbitraries.of(ALLOWED);
        Arbitrary<String> anyText = Arbitraries.strings().all().ofMaxLength(12).filter(this::wellFormed);
        Arbitrary<String> numberLike = Arbitraries.oneOf(decimalTexts(), integerTexts());
        return Arbitraries.frequencyOf(
                Tuple.of(3, csv(Arbitraries.oneOf(pool, padded(pool), anyText, numberLike))),
                Tuple.of(
                        3,
                        json(Arbitraries.oneOf(
                                jsonString(Arbitraries.oneOf(pool, anyText, numberLike)),
                                jsonDecimals(),
                                jsonIntegers(),
                                Arbitraries.of(
                                        "1",
                                        "1.0",
                                        "2.5",
                                        "1000",
                                        "1e3",
                                        "1.0E3",
                                        "true",
                                        "false",
                                        "-0.0",
                                        "1e15",
                                        "1e20",
                                        "123456789012345678901234567890")))),
                Tuple.of(
                        1,
                        json(Arbitraries.of(
                                "\"\\ud800\"",
                                "\"a\\udc00b\"",
                                "\"\\ud83d\\ude00\"",
                                "\"\\u00e9\"",
                                "[\"a\"]",
                                "{\"a\":1}"))),
                Tuple.of(2, anything()));
    }

    @Provide
    Arbitrary<Cell> timestampCells() {
        Arbitrary<LocalDateTime> times = Combinators.combine(
                        Arbitraries.integers().between(0, 9999),
                        Arbitraries.integers().between(1, 12),
                        Arbitraries.integers().between(1, 28),
                        Arbitraries.integers().between(0, 23),
                        Arbitraries.integers().between(0, 59),
                        Arbitraries.integers().between(0, 59),
                        Arbitraries.integers().between(0, 999_999_999))
                .as(LocalDateTime::of);
        Arbitrary<String> wellFormed = Combinators.combine(
                        times, Arbitraries.integers().between(0, 13))
                .as(TrainingServingParityTest::formatted);
        Arbitrary<String> broken = Arbitraries.oneOf(
                Combinators.combine(
                                Arbitraries.integers().between(1900, 2100),
                                Arbitraries.integers().between(0, 14),
                                Arbitraries.integers().between(0, 33),
                                Arbitraries.integers().between(0, 25),
                                Arbitraries.integers().between(0, 61))
                        .as((y, mo, d, h, mi) ->
                                String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d", y, mo, d, h, mi)),
                Arbitraries.of(
                        "2024-1-5",
                        "2024-01-5",
                        "20240105",
                        "1704067200000",
                        "2024-02-30",
                        "2023-02-29",
                        "Jan 32 2024",
                        "Foo 5 2024",
                        "2024-01-05x",
                        "2024-01-05T10:00:00.1234567891Z",
                        "2024-01-05T25:00",
                        "05/01/2024",
                        "2024-01-05T10:00:00+25:00",
                        "2024-01-05 10:00 +02:00",
                        "2024-01-05T10:00:00z",
                        "+12024-01-05",
                        "-2024-01-05",
                        "2024/13/01",
                        "yesterday"));
        Arbitrary<String> epochs = Arbitraries.oneOf(
                Arbitraries.longs()
                        .between(-62_167_219_200_000L, 253_402_300_799_999L)
                        .map(String::valueOf),
                Arbitraries.longs()
                        .between(-62_167_219_200_000L, 253_402_300_799_999L)
                        .map(ms -> Double.toString((double) ms)),
                Arbitraries.of(
                        "1704067200000",
                        "0",
                        "-1",
                        "1.7040672E12",
                        "1704067200000.5",
                        "253402300800000",
                        "-62167219200001",
                        "1e300",
                        "123456789012345678901234567890",
                        "1.5",
                        "-0.0"));
        return cells(padded(wellFormed), Arbitraries.oneOf(epochs, jsonString(wellFormed)), broken);
    }

    @Provide
    Arbitrary<Upload> uploads() {
        return Arbitraries.of(ColumnType.values()).flatMap(type -> {
            Arbitrary<ColumnSchema> columns = columns(type, Arbitraries.just(List.of("1", "true", "a")));
            Arbitrary<Cell> cells = switch (type) {
                case NUMERIC -> numericCells();
                case INTEGER -> integerCells();
                case BOOLEAN -> booleanCells();
                case CATEGORICAL, TEXT -> textCells();
                case TIMESTAMP -> timestampCells();
            };
            return Combinators.combine(
                            columns,
                            Arbitraries.of(DatasetFormat.values()),
                            cells.list().ofMinSize(1).ofMaxSize(300))
                    .as((column, format, generated) -> {
                        List<Cell> sameFormat = generated.stream()
                                .filter(c -> (c.format() == DatasetFormat.CSV) == (format == DatasetFormat.CSV))
                                .map(c -> new Cell(format, c.text()))
                                .toList();
                        return new Upload(column, format, sameFormat);
                    })
                    .filter(u -> !u.cells().isEmpty());
        });
    }

    /** Cells of a type: well-formed CSV text and JSON values, malformed ones, and values of any other type. */
    private Arbitrary<Cell> cells(Arbitrary<String> goodText, Arbitrary<String> goodJson, Arbitrary<String> bad) {
        return Arbitraries.frequencyOf(
                Tuple.of(3, csv(padded(goodText))),
                Tuple.of(3, json(Arbitraries.oneOf(goodJson, jsonString(goodText)))),
                Tuple.of(1, csv(padded(bad))),
                Tuple.of(1, json(jsonString(bad))),
                Tuple.of(2, anything()));
    }

    /** Values of no type in particular: null tokens, words, numbers, booleans, null, nested, absent. */
    private Arbitrary<Cell> anything() {
        Arbitrary<String> nullTokens =
                Arbitraries.of("", "NA", "N/A", "null", "NULL", "NaN", "nan", " NA ", "\tnull", "Na", "None", "nil");
        Arbitrary<String> words = Arbitraries.strings().all().ofMaxLength(8).filter(this::wellFormed);
        return Arbitraries.frequencyOf(
                Tuple.of(2, csv(Arbitraries.oneOf(nullTokens, words, decimalTexts()))),
                Tuple.of(2, json(jsonString(Arbitraries.oneOf(nullTokens, words)))),
                Tuple.of(1, json(Arbitraries.of("null", "true", "false", "[]", "[1]", "{}", "{\"a\":1}"))),
                Tuple.of(1, json(Arbitraries.oneOf(jsonIntegers(), jsonDecimals()))),
                Tuple.of(
                        1,
                        Arbitraries.of(DatasetFormat.NDJSON, DatasetFormat.JSON).map(f -> new Cell(f, null))));
    }

    private static Arbitrary<Cell> csv(Arbitrary<String> text) {
        return text.map(t -> new Cell(DatasetFormat.CSV, t));
    }

    private static Arbitrary<Cell> json(Arbitrary<String> value) {
        return Combinators.combine(Arbitraries.of(DatasetFormat.NDJSON, DatasetFormat.JSON), value)
                .as(Cell::new);
    }

    private static Arbitrary<String> jsonString(Arbitrary<String> text) {
        return text.map(t -> {
            try {
                return JSON.writeValueAsString(t);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Surrounding white space now and then: spaces, tabs, a line break (quoted in CSV). */
    private static Arbitrary<String> padded(Arbitrary<String> text) {
        Arbitrary<String> space = Arbitraries.frequency(
                Tuple.of(8, ""), Tuple.of(2, " "), Tuple.of(1, "\t"), Tuple.of(1, "  "), Tuple.of(1, "\n"));
        return Combinators.combine(space, text, space).as((a, t, b) -> a + t + b);
    }

    /** Decimal texts as people write them: signs, leading zeros, a bare point, exponents, long fractions. */
    private static Arbitrary<String> decimalTexts() {
        Arbitrary<String> sign = Arbitraries.of("", "", "-", "+");
        Arbitrary<String> whole = Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(20);
        Arbitrary<String> fraction =
                Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(20);
        Arbitrary<String> exponent = Arbitraries.oneOf(
                Arbitraries.just(""),
                Combinators.combine(
                                Arbitraries.of("e", "E"),
                                Arbitraries.of("", "+", "-"),
                                Arbitraries.integers().between(0, 400))
                        .as((e, s, n) -> e + s + n));
        return Combinators.combine(sign, whole, Arbitraries.of(true, false), fraction, exponent)
                .as((s, w, point, f, e) -> s + w + (point ? "." + f : "") + e)
                .filter(t -> t.chars().anyMatch(Character::isDigit));
    }

    private static Arbitrary<String> integerTexts() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.integers().between(-1000, 1000).map(String::valueOf),
                Arbitraries.bigIntegers()
                        .between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
                        .map(String::valueOf),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25));
    }

    /** JSON integers (no leading zeros: JSON has none), from small to hundreds of digits. */
    private static Arbitrary<String> jsonIntegers() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.integers().between(-3, 3).map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.bigIntegers()
                        .between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
                        .map(String::valueOf),
                Arbitraries.of(
                        "9007199254740993",
                        "9223372036854775807",
                        "-9223372036854775808",
                        "9223372036854775808",
                        "1" + "0".repeat(400),
                        "-0"));
    }

    /** JSON numbers with a fraction or an exponent (read as doubles), including 1.0 and overflow to infinity. */
    private static Arbitrary<String> jsonDecimals() {
        Arbitrary<String> whole = Arbitraries.oneOf(
                Arbitraries.just("0"),
                Arbitraries.integers()
                        .between(1, 9)
                        .flatMap(first ->
                                Arbitraries.strings().numeric().ofMaxLength(17).map(rest -> first + rest)));
        Arbitrary<String> fraction = Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.just(".0"),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(18).map(f -> "." + f));
        Arbitrary<String> exponent = Arbitraries.oneOf(
                Arbitraries.just(""),
                Combinators.combine(
                                Arbitraries.of("e", "E"),
                                Arbitraries.of("", "+", "-"),
                                Arbitraries.integers().between(0, 400))
                        .as((e, s, n) -> e + s + n));
        return Combinators.combine(Arbitraries.of("", "-"), whole, fraction, exponent)
                .as((s, w, f, e) -> s + w + f + e)
                .filter(t -> t.contains(".") || t.contains("e") || t.contains("E"));
    }

    private static String formatted(LocalDateTime t, int shape) {
        String fraction = t.getNano() == 0
                ? ""
                : ("." + String.format(Locale.ROOT, "%09d", t.getNano())).substring(0, 1 + 1 + (t.getNano() % 9));
        return switch (shape) {
            case 0 -> t.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT)) + fraction + "Z";
            case 1 ->
                t.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT))
                        + fraction
                        + ZoneOffset.ofHoursMinutes(
                                t.getHour() % 15 - 7, (t.getMinute() % 2) * 30 * Integer.signum(t.getHour() % 15 - 7));
            case 2 -> t.format(DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm", Locale.ROOT));
            case 3 -> t.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm", Locale.ROOT));
            case 4 -> t.format(DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT));
            case 5 -> t.format(DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT)) + fraction;
            case 6 -> t.format(DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT));
            case 7 -> t.format(DateTimeFormatter.ofPattern("uuuu/MM/dd", Locale.ROOT));
            case 8 -> t.format(DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm", Locale.ROOT));
            case 9 -> t.format(DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm:ss", Locale.ROOT));
            case 10 -> t.format(DateTimeFormatter.ofPattern("MMM d uuuu", Locale.ENGLISH));
            case 11 ->
                t.format(DateTimeFormatter.ofPattern("MMM d uuuu", Locale.ENGLISH))
                        .toUpperCase(Locale.ROOT);
            case 12 ->
                t.format(DateTimeFormatter.ofPattern("MMM dd uuuu", Locale.ENGLISH))
                        .toLowerCase(Locale.ROOT);
            default -> t.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT)) + "+00:00";
        };
    }

    /** No unpaired surrogate: a CSV is UTF-8, which cannot carry one (JSON escapes can, see textCells). */
    private boolean wellFormed(String s) {
        return s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF);
    }
}
