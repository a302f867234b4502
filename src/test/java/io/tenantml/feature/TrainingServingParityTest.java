package io.tenantml.feature;

import static io.tenantml.testing.Gen.weight;
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
import io.tenantml.testing.Gen;
import io.tenantml.testing.Properties;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Training and serving read values with the same code: for generated raw values of every column type, well-
 * formed and malformed, as a CSV carries them (strings) and as JSON carries them (numbers, booleans, strings,
 * null, nested values, absent fields), whatever ingestion stores, online scoring accepts and encodes to the
 * same features (training path: upload → typed row → stored and read back → {@link FeatureTransform#bind};
 * serving path: the JSON record as Jackson reads a request → {@link FeatureTransform#encode} of the transform
 * as saved and loaded), and whatever ingestion quarantines, online scoring refuses naming the field and the
 * same check. Seeded with {@link io.tenantml.testing.Gen}; a failure prints the seed, the try and the value
 * (rerun one try with {@code -Dtenantml.seed=... -Dtenantml.try=...}).
 */
class TrainingServingParityTest {

    static final long SEED = 20261126L;
    static final int TRIES = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMN = "x";

    /** A column and one raw value for it. */
    record Case(ColumnSchema column, Cell cell) {}

    @Test
    void shouldGiveNumericValuesTheSameMeaningInTrainingAndServing() {
        checkSameMeaning("numeric", numericColumns(), numericCells());
    }

    @Test
    void shouldGiveIntegerValuesTheSameMeaningInTrainingAndServing() {
        checkSameMeaning("integer", integerColumns(), integerCells());
    }

    @Test
    void shouldGiveBooleanValuesTheSameMeaningInTrainingAndServing() {
        checkSameMeaning("boolean", booleanColumns(), booleanCells());
    }

    @Test
    void shouldGiveCategoricalValuesTheSameMeaningInTrainingAndServing() {
        checkSameMeaning("categorical", categoricalColumns(), textCells());
    }

    @Test
    void shouldGiveTextValuesTheSameMeaningInTrainingAndServing() {
        checkSameMeaning("text", textColumns(), textCells());
    }

    @Test
    void shouldGiveTimestampValuesTheSameMeaningInTrainingAndServing() {
        checkSameMeaning("timestamp", timestampColumns(), timestampCells());
    }

    /**
     * The one-record probe the properties above use stores what a whole upload stores: the same rows, in
     * order, and the same number of quarantined records.
     */
    @Test
    void shouldStoreWithTheProbeWhatAWholeUploadStores() {
        Properties.check("probe stores what an upload stores", SEED, 60, uploads(), upload -> {
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
        });
    }

    /**
     * {@value #TRIES} generated values of one column type through both paths; then the outcomes must cover both
     * sides (at least a fifth accepted, at least one in twenty refused for its type), or the generators have
     * drifted away from what they are meant to test.
     */
    private static void checkSameMeaning(String type, Gen<ColumnSchema> columns, Gen<Cell> cells) {
        Map<String, Integer> outcomes = new TreeMap<>();
        Gen<Case> cases = random -> new Case(columns.next(random), cells.next(random));
        Properties.check(
                type + " values mean the same in training and serving",
                SEED,
                TRIES,
                cases,
                c -> outcomes.merge(assertSameMeaning(c.column(), c.cell()), 1, Integer::sum));
        int accepted = outcomes.getOrDefault("accepted", 0);
        int refusedType = outcomes.getOrDefault("refused type", 0);
        assertThat(accepted * 100.0 / TRIES)
                .as("%% of %s values accepted (outcomes %s)", type, outcomes)
                .isGreaterThanOrEqualTo(20);
        assertThat(refusedType * 100.0 / TRIES)
                .as("%% of %s values refused for their type (outcomes %s)", type, outcomes)
                .isGreaterThanOrEqualTo(5);
    }

    /** Transforms fitted on no rows, saved and loaded, per schema: what a refused value is served against. */
    private static final Map<DatasetSchema, FeatureTransform> UNFITTED = new ConcurrentHashMap<>();

    /** Asserts that both paths agree on the cell; returns the outcome (accepted, missing, refused and the check). */
    private static String assertSameMeaning(ColumnSchema column, Cell cell) {
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
            return row[0] == null ? "missing" : "accepted";
        }
        IngestionProbe.Refusal refusal = ingested.refusals().getFirst();
        FeatureTransform saved = UNFITTED.computeIfAbsent(
                schema,
                s -> FeatureTransform.fromJson(
                        FeatureTransform.fitter(s, List.of(COLUMN)).fit().toJson()));
        Throwable thrown = catchThrowable(() -> saved.encode(record));
        assertThat(thrown)
                .as("serving %s, which ingestion refused: %s", cell, refusal)
                .isInstanceOf(InvalidFeatureValueException.class);
        InvalidFeatureValueException invalid = (InvalidFeatureValueException) thrown;
        assertThat(invalid.field()).isEqualTo(COLUMN);
        assertThat(invalid.check().wireName()).isEqualTo(refusal.check());
        assertThat(invalid.getMessage()).isEqualTo("'" + COLUMN + "': " + refusal.message());
        return "refused " + refusal.check();
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

    private static Gen<ColumnSchema> numericColumns() {
        return columns(ColumnType.NUMERIC, Gen.of(List.of("1.0"), List.of("2.5", "-1.0")));
    }

    private static Gen<ColumnSchema> integerColumns() {
        return columns(ColumnType.INTEGER, Gen.of(List.of("1", "2", "3"), List.of("0")));
    }

    private static Gen<ColumnSchema> booleanColumns() {
        return columns(ColumnType.BOOLEAN, Gen.constant(List.of("true")));
    }

    private static Gen<ColumnSchema> categoricalColumns() {
        return columns(ColumnType.CATEGORICAL, Gen.subsetOf(ALLOWED));
    }

    private static Gen<ColumnSchema> textColumns() {
        return columns(ColumnType.TEXT, Gen.subsetOf(ALLOWED));
    }

    private static Gen<ColumnSchema> timestampColumns() {
        return columns(ColumnType.TIMESTAMP, Gen.constant(List.of("2024-01-05T00:00:00Z")));
    }

    /** Values the categorical and text cells use often, so that declared allowed values are hit and missed. */
    private static final List<String> ALLOWED = List.of("a", "B", "1", "2.5", "true", " x ", "1000");

    private static Gen<ColumnSchema> columns(ColumnType type, Gen<List<String>> allowed) {
        Gen<Boolean> nullable = Gen.frequency(weight(4, Gen.constant(true)), weight(1, Gen.constant(false)));
        boolean numeric = type == ColumnType.NUMERIC || type == ColumnType.INTEGER;
        Gen<Double> bound = Gen.frequency(
                weight(numeric ? 3 : 1, Gen.<Double>constant(null)),
                weight(numeric ? 1 : 0, Gen.constant(-10.0)),
                weight(numeric ? 1 : 0, Gen.constant(0.0)),
                weight(numeric ? 1 : 0, Gen.constant(0.5)),
                weight(numeric ? 1 : 0, Gen.constant(1e6)));
        Gen<List<String>> values = Gen.frequency(weight(6, Gen.<List<String>>constant(null)), weight(1, allowed));
        return random -> new ColumnSchema(
                COLUMN, type, nullable.next(random), bound.next(random), bound.next(random), values.next(random));
    }

    // ---- cells: well-formed and malformed values of each type, as CSV text and as JSON values ----

    private static Gen<Cell> numericCells() {
        return cells(
                Gen.oneOf(decimalTexts(), integerTexts()),
                Gen.oneOf(jsonDecimals(), jsonIntegers()),
                Gen.of(
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

    private static Gen<Cell> integerCells() {
        return cells(
                Gen.oneOf(
                        integerTexts(),
                        Gen.of(
                                "3.0",
                                "-0",
                                "1e3",
                                "+7",
                                "9000000000000000",
                                "8999999999999999",
                                "9223372036854775807",
                                "9223372036854775808",
                                "-9223372036854775809")),
                Gen.oneOf(
                        jsonIntegers(),
                        Gen.of(
                                "3.0",
                                "1e3",
                                "-0.0",
                                "8999999999999999.0",
                                "9.0e15",
                                "1.5",
                                "9223372036854775807",
                                "9223372036854775808")),
                Gen.oneOf(decimalTexts(), Gen.of("3.5", "1e-3", "one", "1,000")));
    }

    private static Gen<Cell> booleanCells() {
        Gen<String> word = Gen.of("true", "false", "t", "f", "yes", "no", "y", "n", "1", "0");
        Gen<Integer> casing = Gen.ints(0, 3);
        Gen<String> words = random -> {
            String w = word.next(random);
            return switch (casing.next(random)) {
                case 1 -> w.toUpperCase(Locale.ROOT);
                case 2 -> Character.toUpperCase(w.charAt(0)) + w.substring(1);
                default -> w;
            };
        };
        return cells(
                padded(words),
                Gen.of("true", "false", "0", "1", "1.0", "0.0", "-0", "-0.0", "1e0", "2", "0.5", "-1"),
                Gen.of("2", "yess", "truth", "ja", "oui", "on", "off", "10", "01", "true false", "+1", "1.0"));
    }

    private static Gen<Cell> textCells() {
        Gen<String> pool = Gen.of(ALLOWED);
        Gen<String> anyText = Gen.strings(Gen.anyChar(), 0, 12).filter(TrainingServingParityTest::wellFormed);
        Gen<String> numberLike = Gen.oneOf(decimalTexts(), integerTexts());
        return Gen.frequency(
                weight(3, csv(Gen.oneOf(pool, padded(pool), anyText, numberLike))),
                weight(
                        3,
                        json(Gen.oneOf(
                                jsonString(Gen.oneOf(pool, anyText, numberLike)),
                                jsonDecimals(),
                                jsonIntegers(),
                                Gen.of(
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
                weight(
                        1,
                        json(Gen.of(
                                "\"\\ud800\"",
                                "\"a\\udc00b\"",
                                "\"\\ud83d\\ude00\"",
                                "\"\\u00e9\"",
                                "[\"a\"]",
                                "{\"a\":1}"))),
                weight(2, anything()));
    }

    private static Gen<Cell> timestampCells() {
        Gen<Integer> years = Gen.ints(0, 9999);
        Gen<Integer> months = Gen.ints(1, 12);
        Gen<Integer> days = Gen.ints(1, 28);
        Gen<Integer> hours = Gen.ints(0, 23);
        Gen<Integer> minutes = Gen.ints(0, 59);
        Gen<Integer> nanos = Gen.ints(0, 999_999_999);
        Gen<Integer> shapes = Gen.ints(0, 13);
        Gen<String> wellFormed = random -> formatted(
                LocalDateTime.of(
                        years.next(random),
                        months.next(random),
                        days.next(random),
                        hours.next(random),
                        minutes.next(random),
                        minutes.next(random),
                        nanos.next(random)),
                shapes.next(random));
        Gen<Integer> brokenYears = Gen.ints(1900, 2100);
        Gen<Integer> brokenMonths = Gen.ints(0, 14);
        Gen<Integer> brokenDays = Gen.ints(0, 33);
        Gen<Integer> brokenHours = Gen.ints(0, 25);
        Gen<Integer> brokenMinutes = Gen.ints(0, 61);
        Gen<String> broken = Gen.oneOf(
                random -> String.format(
                        Locale.ROOT,
                        "%04d-%02d-%02d %02d:%02d",
                        brokenYears.next(random),
                        brokenMonths.next(random),
                        brokenDays.next(random),
                        brokenHours.next(random),
                        brokenMinutes.next(random)),
                Gen.of(
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
        Gen<Long> millis = Gen.longs(-62_167_219_200_000L, 253_402_300_799_999L);
        Gen<String> epochs = Gen.oneOf(
                millis.map(String::valueOf),
                millis.map(ms -> Double.toString((double) ms)),
                Gen.of(
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
        return cells(padded(wellFormed), Gen.oneOf(epochs, jsonString(wellFormed)), broken);
    }

    private static Gen<Upload> uploads() {
        Gen<DatasetFormat> formats = Gen.of(DatasetFormat.values());
        return Gen.of(ColumnType.values()).flatMap(type -> {
            Gen<ColumnSchema> columns = columns(type, Gen.constant(List.of("1", "true", "a")));
            Gen<List<Cell>> cells = (switch (type) {
                        case NUMERIC -> numericCells();
                        case INTEGER -> integerCells();
                        case BOOLEAN -> booleanCells();
                        case CATEGORICAL, TEXT -> textCells();
                        case TIMESTAMP -> timestampCells();
                    })
                    .list(1, 300);
            Gen<Upload> uploads = random -> {
                ColumnSchema column = columns.next(random);
                DatasetFormat format = formats.next(random);
                List<Cell> sameFormat = cells.next(random).stream()
                        .filter(c -> (c.format() == DatasetFormat.CSV) == (format == DatasetFormat.CSV))
                        .map(c -> new Cell(format, c.text()))
                        .toList();
                return new Upload(column, format, sameFormat);
            };
            return uploads.filter(u -> !u.cells().isEmpty());
        });
    }

    /** Cells of a type: well-formed CSV text and JSON values, malformed ones, and values of any other type. */
    private static Gen<Cell> cells(Gen<String> goodText, Gen<String> goodJson, Gen<String> bad) {
        return Gen.frequency(
                weight(3, csv(padded(goodText))),
                weight(3, json(Gen.oneOf(goodJson, jsonString(goodText)))),
                weight(1, csv(padded(bad))),
                weight(1, json(jsonString(bad))),
                weight(2, anything()));
    }

    /** Values of no type in particular: null tokens, words, numbers, booleans, null, nested, absent. */
    private static Gen<Cell> anything() {
        Gen<String> nullTokens =
                Gen.of("", "NA", "N/A", "null", "NULL", "NaN", "nan", " NA ", "\tnull", "Na", "None", "nil");
        Gen<String> words = Gen.strings(Gen.anyChar(), 0, 8).filter(TrainingServingParityTest::wellFormed);
        return Gen.frequency(
                weight(2, csv(Gen.oneOf(nullTokens, words, decimalTexts()))),
                weight(2, json(jsonString(Gen.oneOf(nullTokens, words)))),
                weight(1, json(Gen.of("null", "true", "false", "[]", "[1]", "{}", "{\"a\":1}"))),
                weight(1, json(Gen.oneOf(jsonIntegers(), jsonDecimals()))),
                weight(1, Gen.of(DatasetFormat.NDJSON, DatasetFormat.JSON).map(f -> new Cell(f, null))));
    }

    private static Gen<Cell> csv(Gen<String> text) {
        return text.map(t -> new Cell(DatasetFormat.CSV, t));
    }

    private static Gen<Cell> json(Gen<String> value) {
        Gen<DatasetFormat> formats = Gen.of(DatasetFormat.NDJSON, DatasetFormat.JSON);
        return random -> new Cell(formats.next(random), value.next(random));
    }

    private static Gen<String> jsonString(Gen<String> text) {
        return text.map(t -> {
            try {
                return JSON.writeValueAsString(t);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Surrounding white space now and then: spaces, tabs, a line break (quoted in CSV). */
    private static Gen<String> padded(Gen<String> text) {
        Gen<String> space = Gen.frequency(
                weight(8, Gen.constant("")),
                weight(2, Gen.constant(" ")),
                weight(1, Gen.constant("\t")),
                weight(1, Gen.constant("  ")),
                weight(1, Gen.constant("\n")));
        return random -> space.next(random) + text.next(random) + space.next(random);
    }

    private static Gen<String> exponents() {
        Gen<String> e = Gen.of("e", "E");
        Gen<String> sign = Gen.of("", "+", "-");
        Gen<Integer> n = Gen.ints(0, 400);
        return Gen.oneOf(Gen.constant(""), random -> e.next(random) + sign.next(random) + n.next(random));
    }

    /** Decimal texts as people write them: signs, leading zeros, a bare point, exponents, long fractions. */
    private static Gen<String> decimalTexts() {
        Gen<String> sign = Gen.of("", "", "-", "+");
        Gen<String> digits = Gen.strings(Gen.digits(), 0, 20);
        Gen<Boolean> point = Gen.booleans();
        Gen<String> exponent = exponents();
        Gen<String> texts = random -> {
            String s = sign.next(random);
            String whole = digits.next(random);
            boolean p = point.next(random);
            String fraction = digits.next(random);
            return s + whole + (p ? "." + fraction : "") + exponent.next(random);
        };
        return texts.filter(t -> t.chars().anyMatch(Character::isDigit));
    }

    /** Integers a double holds exactly (what an integer column keeps), and its edges ±2^53. */
    private static Gen<String> exactIntegers() {
        return Gen.longs(-(1L << 53), 1L << 53).map(String::valueOf);
    }

    private static Gen<String> integerTexts() {
        return Gen.frequency(
                weight(3, exactIntegers()),
                weight(3, Gen.ints(-1000, 1000).map(String::valueOf)),
                weight(1, Gen.longs().map(String::valueOf)),
                weight(
                        1,
                        Gen.bigIntegers(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
                                .map(String::valueOf)),
                weight(1, Gen.strings(Gen.digits(), 1, 25)));
    }

    /** JSON integers (no leading zeros: JSON has none), from small to hundreds of digits. */
    private static Gen<String> jsonIntegers() {
        return Gen.frequency(
                weight(3, exactIntegers()),
                weight(1, Gen.ints().map(String::valueOf)),
                weight(2, Gen.ints(-3, 3).map(String::valueOf)),
                weight(1, Gen.longs().map(String::valueOf)),
                weight(
                        1,
                        Gen.bigIntegers(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
                                .map(String::valueOf)),
                weight(
                        1,
                        Gen.of(
                                "9007199254740993",
                                "9223372036854775807",
                                "-9223372036854775808",
                                "9223372036854775808",
                                "1" + "0".repeat(400),
                                "-0")));
    }

    /** JSON numbers with a fraction or an exponent (read as doubles), including 1.0 and overflow to infinity. */
    private static Gen<String> jsonDecimals() {
        Gen<String> rest = Gen.strings(Gen.digits(), 0, 17);
        Gen<String> whole = Gen.oneOf(Gen.constant("0"), Gen.ints(1, 9).flatMap(first -> rest.map(r -> first + r)));
        Gen<String> fraction = Gen.oneOf(
                Gen.constant(""),
                Gen.constant(".0"),
                Gen.strings(Gen.digits(), 1, 18).map(f -> "." + f));
        Gen<String> sign = Gen.of("", "-");
        Gen<String> exponent = exponents();
        Gen<String> texts =
                random -> sign.next(random) + whole.next(random) + fraction.next(random) + exponent.next(random);
        return texts.filter(t -> t.contains(".") || t.contains("e") || t.contains("E"));
    }

    /** The formatters of {@link #formatted}, made once: making one per value was most of the test's time. */
    private static final DateTimeFormatter ISO_SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT);

    private static final DateTimeFormatter SPACED_MINUTES =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter ISO_MINUTES = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm", Locale.ROOT);
    private static final DateTimeFormatter SPACED_SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT);
    private static final DateTimeFormatter SLASHED_DATE = DateTimeFormatter.ofPattern("uuuu/MM/dd", Locale.ROOT);
    private static final DateTimeFormatter SLASHED_MINUTES =
            DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter SLASHED_SECONDS =
            DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter MONTH_D_YEAR = DateTimeFormatter.ofPattern("MMM d uuuu", Locale.ENGLISH);
    private static final DateTimeFormatter MONTH_DD_YEAR = DateTimeFormatter.ofPattern("MMM dd uuuu", Locale.ENGLISH);

    private static String formatted(LocalDateTime t, int shape) {
        String fraction = t.getNano() == 0
                ? ""
                : ("." + String.format(Locale.ROOT, "%09d", t.getNano())).substring(0, 1 + 1 + (t.getNano() % 9));
        return switch (shape) {
            case 0 -> t.format(ISO_SECONDS) + fraction + "Z";
            case 1 ->
                t.format(ISO_SECONDS)
                        + fraction
                        + ZoneOffset.ofHoursMinutes(
                                t.getHour() % 15 - 7, (t.getMinute() % 2) * 30 * Integer.signum(t.getHour() % 15 - 7));
            case 2 -> t.format(SPACED_MINUTES);
            case 3 -> t.format(ISO_MINUTES);
            case 4 -> t.format(SPACED_SECONDS);
            case 5 -> t.format(SPACED_SECONDS) + fraction;
            case 6 -> t.format(DATE);
            case 7 -> t.format(SLASHED_DATE);
            case 8 -> t.format(SLASHED_MINUTES);
            case 9 -> t.format(SLASHED_SECONDS);
            case 10 -> t.format(MONTH_D_YEAR);
            case 11 -> t.format(MONTH_D_YEAR).toUpperCase(Locale.ROOT);
            case 12 -> t.format(MONTH_DD_YEAR).toLowerCase(Locale.ROOT);
            default -> t.format(ISO_SECONDS) + "+00:00";
        };
    }

    /** No unpaired surrogate: a CSV is UTF-8, which cannot carry one (JSON escapes can, see textCells). */
    private static boolean wellFormed(String s) {
        return s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF);
    }
}
