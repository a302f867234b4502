package io.tenantml.feature;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantml.dataset.ColumnSchema;
import io.tenantml.dataset.ColumnType;
import io.tenantml.dataset.DatasetSchema;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Turns dataset rows (training, batch) and JSON records (online serving) into XGBoost features. It is
 * fitted once on the training rows, saved as JSON with the model version, and reloaded unchanged for
 * serving, so there is exactly one encoding. Invariants: a missing value is always NaN (XGBoost's
 * missing), never 0; a categorical value outside the saved dictionary is missing; the feature order is
 * the order of {@link #inputs()}.
 *
 * @param formatVersion bumped when the encoding changes, so that an old model is never fed new codes
 */
public record FeatureTransform(int formatVersion, List<FeatureInput> inputs) {

    public static final int FORMAT_VERSION = 1;
    /** The parts a timestamp becomes, in UTC: 1..7 (Monday 1), 0..24 (fractional), 1..12, fractional days. */
    public static final List<String> TIMESTAMP_PARTS = List.of("dayOfWeek", "hour", "month", "daysSinceEpoch");
    /** Most categories a fitted dictionary keeps (most frequent first); rarer values become missing. */
    public static final int MAX_CATEGORIES = 1000;

    private static final ObjectMapper JSON =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final DateTimeFormatter SLASHED = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm[:ss]");

    public FeatureTransform {
        if (formatVersion != FORMAT_VERSION) {
            throw new IllegalArgumentException("unsupported feature transform format " + formatVersion);
        }
        Objects.requireNonNull(inputs, "inputs");
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a feature transform needs at least one input");
        }
        inputs = List.copyOf(inputs);
        Set<String> seen = new HashSet<>();
        for (FeatureInput input : inputs) {
            if (!seen.add(input.column())) {
                throw new IllegalArgumentException("duplicate input column '" + input.column() + "'");
            }
        }
    }

    /** Starts fitting a transform for {@code columns} of {@code schema}; feed it the training rows. */
    public static Fitter fitter(DatasetSchema schema, List<String> columns) {
        return new Fitter(schema, columns);
    }

    /** The column types that can be features, and how each is encoded (text is fitted as categorical). */
    public static FeatureKind kindOf(ColumnType type) {
        return switch (type) {
            case NUMERIC, INTEGER -> FeatureKind.NUMERIC;
            case BOOLEAN -> FeatureKind.BOOLEAN;
            case CATEGORICAL, TEXT -> FeatureKind.CATEGORICAL;
            case TIMESTAMP -> FeatureKind.TIMESTAMP;
        };
    }

    /** Number of features (columns of the matrix). */
    public int width() {
        int width = 0;
        for (FeatureInput input : inputs) {
            width += input.width();
        }
        return width;
    }

    /** XGBoost feature names, one per feature; characters XGBoost rejects ([, ], <) become '_'. */
    public String[] featureNames() {
        List<String> names = new ArrayList<>();
        for (FeatureInput input : inputs) {
            String base = input.column().replaceAll("[\\[\\]<]", "_");
            if (input.kind() == FeatureKind.TIMESTAMP) {
                TIMESTAMP_PARTS.forEach(part -> names.add(base + "." + part));
            } else {
                names.add(base);
            }
        }
        return names.toArray(String[]::new);
    }

    /** XGBoost feature types: "c" for categorical inputs, "q" for every other feature. */
    public String[] featureTypes() {
        List<String> types = new ArrayList<>();
        for (FeatureInput input : inputs) {
            for (int i = 0; i < input.width(); i++) {
                types.add(input.kind() == FeatureKind.CATEGORICAL ? "c" : "q");
            }
        }
        return types.toArray(String[]::new);
    }

    /** The input column each feature comes from (for reporting importance or contributions per column). */
    public String[] featureColumns() {
        List<String> columns = new ArrayList<>();
        for (FeatureInput input : inputs) {
            for (int i = 0; i < input.width(); i++) {
                columns.add(input.column());
            }
        }
        return columns.toArray(String[]::new);
    }

    /** An encoder for rows of {@code schema} (a dataset version); fails naming a column the schema lacks. */
    public RowEncoder bind(DatasetSchema schema) {
        int[] positions = new int[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            String column = inputs.get(i).column();
            positions[i] = schema.indexOf(column);
            if (positions[i] < 0) {
                throw new IllegalArgumentException("the dataset has no column '" + column + "' that the model needs");
            }
        }
        return new RowEncoder(positions);
    }

    /**
     * Encodes one JSON-like record (values: String, Number, Boolean, null) for online prediction.
     *
     * @throws InvalidFeatureValueException naming the field whose value has the wrong type
     */
    public EncodedRecord encode(Map<String, ?> record) {
        Objects.requireNonNull(record, "record");
        float[] out = new float[width()];
        List<String> missing = new ArrayList<>();
        List<String> unseen = new ArrayList<>();
        int offset = 0;
        for (FeatureInput input : inputs) {
            Object value = record.get(input.column());
            if (value == null) {
                missing.add(input.column());
                Arrays.fill(out, offset, offset + input.width(), Float.NaN);
            } else {
                Object typed = fromJson(input, value);
                encodeValue(input, typed, out, offset);
                if (input.kind() == FeatureKind.CATEGORICAL && Float.isNaN(out[offset])) {
                    unseen.add(input.column());
                }
            }
            offset += input.width();
        }
        List<String> unknown = new ArrayList<>();
        Set<String> known = new HashSet<>();
        inputs.forEach(input -> known.add(input.column()));
        for (String field : record.keySet()) {
            if (!known.contains(field)) {
                unknown.add(field);
            }
        }
        return new EncodedRecord(out, List.copyOf(missing), List.copyOf(unseen), List.copyOf(unknown));
    }

    /** A DMatrix over row-major {@code data} with this transform's names and types and NaN as missing. */
    public DMatrix matrix(float[] data, int rows) throws XGBoostError {
        if (data.length != (long) rows * width()) {
            throw new IllegalArgumentException(
                    "data has " + data.length + " values, expected " + rows + " x " + width());
        }
        DMatrix matrix = new DMatrix(data, rows, width(), Float.NaN);
        matrix.setFeatureNames(featureNames());
        matrix.setFeatureTypes(featureTypes());
        return matrix;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("feature transform cannot be written", e);
        }
    }

    public static FeatureTransform fromJson(String json) {
        try {
            return JSON.readValue(json, FeatureTransform.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid feature transform JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Encodes the typed value of a dataset cell (see {@link ColumnType}) or a converted JSON value. */
    static void encodeValue(FeatureInput input, Object value, float[] out, int offset) {
        if (value == null) {
            Arrays.fill(out, offset, offset + input.width(), Float.NaN);
            return;
        }
        switch (input.kind()) {
            case NUMERIC -> out[offset] = ((Number) value).floatValue();
            case BOOLEAN -> out[offset] = ((Boolean) value) ? 1f : 0f;
            case CATEGORICAL -> {
                int code = input.code(value.toString());
                out[offset] = code < 0 ? Float.NaN : code;
            }
            case TIMESTAMP -> {
                Instant instant = (Instant) value;
                ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
                out[offset] = utc.getDayOfWeek().getValue();
                out[offset + 1] = utc.getHour() + utc.getMinute() / 60f;
                out[offset + 2] = utc.getMonthValue();
                out[offset + 3] = (float) (instant.getEpochSecond() / 86_400.0);
            }
        }
    }

    private static Object fromJson(FeatureInput input, Object value) {
        String column = input.column();
        return switch (input.kind()) {
            case NUMERIC -> {
                if (!(value instanceof Number)) {
                    throw new InvalidFeatureValueException(column, "'" + column + "' must be a number");
                }
                yield value;
            }
            case BOOLEAN -> {
                if (!(value instanceof Boolean)) {
                    throw new InvalidFeatureValueException(column, "'" + column + "' must be true or false");
                }
                yield value;
            }
            case CATEGORICAL -> {
                if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                    throw new InvalidFeatureValueException(column, "'" + column + "' must be a string");
                }
                yield value.toString();
            }
            case TIMESTAMP -> parseInstant(column, value);
        };
    }

    private static Instant parseInstant(String column, Object value) {
        if (value instanceof Number epochMillis) {
            return Instant.ofEpochMilli(epochMillis.longValue());
        }
        if (value instanceof String text) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException ignored) {
                // try the local forms below, read as UTC
            }
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                // next form
            }
            try {
                return LocalDateTime.parse(text, SLASHED).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                // next form
            }
            try {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                // falls through to the error
            }
        }
        throw new InvalidFeatureValueException(
                column, "'" + column + "' must be an ISO-8601 timestamp or epoch milliseconds");
    }

    /** Encodes typed dataset rows of one schema; cheap, stateless, safe to share between threads. */
    public final class RowEncoder {
        private final int[] positions;

        private RowEncoder(int[] positions) {
            this.positions = positions;
        }

        public int width() {
            return FeatureTransform.this.width();
        }

        /** Writes the row's features into {@code out} from {@code offset} on. */
        public void encode(Object[] values, float[] out, int offset) {
            int at = offset;
            for (int i = 0; i < positions.length; i++) {
                FeatureInput input = inputs.get(i);
                encodeValue(input, values[positions[i]], out, at);
                at += input.width();
            }
        }
    }

    /** Collects what a fitted transform needs from the training rows (the categorical dictionaries). */
    public static final class Fitter {
        private final List<ColumnSchema> columns = new ArrayList<>();
        private final int[] positions;
        private final List<Map<String, Long>> counts = new ArrayList<>();

        private Fitter(DatasetSchema schema, List<String> names) {
            Objects.requireNonNull(schema, "schema");
            Objects.requireNonNull(names, "columns");
            positions = new int[names.size()];
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                positions[i] = schema.indexOf(name);
                if (positions[i] < 0) {
                    throw new IllegalArgumentException("unknown column '" + name + "'");
                }
                columns.add(schema.columns().get(positions[i]));
                counts.add(new HashMap<>());
            }
        }

        /** Observes one training row (typed values aligned with the schema). */
        public void observe(Object[] values) {
            for (int i = 0; i < positions.length; i++) {
                Object value = values[positions[i]];
                if (value != null && kindOf(columns.get(i).type()) == FeatureKind.CATEGORICAL) {
                    counts.get(i).merge(value.toString(), 1L, Long::sum);
                }
            }
        }

        public FeatureTransform fit() {
            List<FeatureInput> inputs = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                ColumnSchema column = columns.get(i);
                FeatureKind kind = kindOf(column.type());
                List<String> categories = kind == FeatureKind.CATEGORICAL ? dictionary(column, counts.get(i)) : null;
                inputs.add(new FeatureInput(column.name(), kind, categories));
            }
            return new FeatureTransform(FORMAT_VERSION, inputs);
        }

        /** Declared values keep their declared order; otherwise the most frequent values, sorted by name. */
        private static List<String> dictionary(ColumnSchema column, Map<String, Long> seen) {
            if (column.allowedValues() != null && !column.allowedValues().isEmpty()) {
                return column.allowedValues();
            }
            Collection<String> kept = seen.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue()
                            .reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(MAX_CATEGORIES)
                    .map(Map.Entry::getKey)
                    .toList();
            return kept.stream().sorted(Comparator.naturalOrder()).toList();
        }
    }

    /** Feature name to the input column it came from (importance reported per column sums these). */
    public Map<String, String> featureToColumn() {
        Map<String, String> map = new LinkedHashMap<>();
        String[] names = featureNames();
        String[] cols = featureColumns();
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], cols[i]);
        }
        return map;
    }
}
