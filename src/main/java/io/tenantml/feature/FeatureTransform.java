package io.tenantml.feature;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantml.dataset.CellCheck;
import io.tenantml.dataset.CellParser;
import io.tenantml.dataset.ColumnSchema;
import io.tenantml.dataset.ColumnType;
import io.tenantml.dataset.DatasetSchema;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
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
 * serving, so there is exactly one encoding. There is one reading of values too: dataset rows were typed
 * by {@link CellParser} at ingestion, and JSON records are read by it here, against the column schema each
 * input keeps. Invariants: a missing value is always NaN (XGBoost's missing), never 0; a categorical value
 * outside the saved dictionary is missing; the feature order is the order of {@link #inputs()}.
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

    /**
     * An encoder for rows of {@code schema} (a dataset version). Fails naming a column the schema lacks, or
     * whose type is encoded otherwise than the model's input (categorical in the model, numeric in the
     * dataset): its typed values are not what the model was trained on.
     */
    public RowEncoder bind(DatasetSchema schema) {
        int[] positions = new int[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            FeatureInput input = inputs.get(i);
            String column = input.column();
            positions[i] = schema.indexOf(column);
            if (positions[i] < 0) {
                throw new IllegalArgumentException("the dataset has no column '" + column + "' that the model needs");
            }
            ColumnType type = schema.columns().get(positions[i]).type();
            if (kindOf(type) != input.kind()) {
                throw new IllegalArgumentException("column '" + column + "' is " + type.wireName()
                        + " in the dataset, but the model was trained on it as "
                        + input.accepts().type().wireName());
            }
        }
        return new RowEncoder(positions);
    }

    /**
     * Encodes one JSON record (values: String, Number, Boolean, null, as Jackson reads them) for online
     * prediction. Each value is read with {@link CellParser#read} against its input's column
     * ({@link FeatureInput#accepts()}), the reading ingestion gave the training rows, so a value means the
     * same here as in training, and a value ingestion would have quarantined is refused.
     *
     * @throws InvalidFeatureValueException naming the field whose value ingestion would refuse, and why
     */
    public EncodedRecord encode(Map<String, ?> record) {
        Objects.requireNonNull(record, "record");
        float[] out = new float[width()];
        List<String> missing = new ArrayList<>();
        List<String> unseen = new ArrayList<>();
        ValueKind[] kinds = new ValueKind[inputs.size()];
        int offset = 0;
        for (int at = 0; at < inputs.size(); at++) {
            FeatureInput input = inputs.get(at);
            Object raw = record.get(input.column());
            Object typed = CellParser.read(input.accepts(), raw);
            if (typed instanceof CellCheck failed) {
                throw new InvalidFeatureValueException(
                        input.column(),
                        failed,
                        "'" + input.column() + "': " + CellParser.reason(input.accepts(), failed, raw));
            }
            if (typed == null) {
                missing.add(input.column());
            }
            encodeValue(input, typed, out, offset);
            kinds[at] = kindOf(input, typed);
            if (kinds[at] == ValueKind.UNSEEN_CATEGORY) {
                unseen.add(input.column());
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
        return new EncodedRecord(out, List.copyOf(missing), List.copyOf(unseen), List.copyOf(unknown), kinds);
    }

    /**
     * What each input's raw value in a JSON record is, without refusing anything: the kinds of a record that
     * {@link #encode} refuses (one of them {@link ValueKind#REFUSED}), so that monitoring can count refusals
     * per input beside the other kinds.
     */
    public ValueKind[] classify(Map<String, ?> record) {
        Objects.requireNonNull(record, "record");
        ValueKind[] kinds = new ValueKind[inputs.size()];
        for (int at = 0; at < inputs.size(); at++) {
            FeatureInput input = inputs.get(at);
            Object typed = CellParser.read(input.accepts(), record.get(input.column()));
            kinds[at] = typed instanceof CellCheck ? ValueKind.REFUSED : kindOf(input, typed);
        }
        return kinds;
    }

    /** The kind of a typed value that was not refused, decided here so that training and serving agree. */
    private static ValueKind kindOf(FeatureInput input, Object typed) {
        if (typed == null) {
            return ValueKind.MISSING;
        }
        return switch (input.kind()) {
            case CATEGORICAL -> input.code(typed.toString()) < 0 ? ValueKind.UNSEEN_CATEGORY : ValueKind.PRESENT;
            case NUMERIC ->
                input.outOfRange(((Number) typed).doubleValue()) ? ValueKind.OUT_OF_RANGE : ValueKind.PRESENT;
            case BOOLEAN, TIMESTAMP -> ValueKind.PRESENT;
        };
    }

    /**
     * A DMatrix over row-major {@code data} with this transform's names and types and NaN as missing. This
     * package alone builds XGBoost matrices (training, champion evaluation, batch, explanations), so that
     * what a feature is to XGBoost (position, name, type, missing value) is decided in one place.
     */
    public DMatrix matrix(float[] data, int rows) throws XGBoostError {
        DMatrix matrix = positionalMatrix(data, rows, width(), featureTypes());
        matrix.setFeatureNames(featureNames());
        return matrix;
    }

    /**
     * A DMatrix over row-major {@code data} without feature names (XGBoost matches features by position),
     * with feature types the caller computed once from {@link #featureTypes()} (serving keeps them per model),
     * NaN as missing.
     */
    public static DMatrix positionalMatrix(float[] data, int rows, int width, String[] featureTypes)
            throws XGBoostError {
        if (data.length != (long) rows * width) {
            throw new IllegalArgumentException("data has " + data.length + " values, expected " + rows + " x " + width);
        }
        DMatrix matrix = new DMatrix(data, rows, width, Float.NaN);
        matrix.setFeatureTypes(featureTypes);
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

    /** Encodes the typed value of a cell (see {@link ColumnType}), as {@link CellParser#read} gives it. */
    static void encodeValue(FeatureInput input, Object value, float[] out, int offset) {
        if (value == null) {
            Arrays.fill(out, offset, offset + input.width(), Float.NaN);
            return;
        }
        switch (input.kind()) {
            case NUMERIC -> {
                // CellParser refuses numbers beyond the float range now, but dataset versions stored before it
                // may hold them: such a number cannot be a feature, so it is missing, as XGBoost and the drift
                // statistics already read NaN (an infinity failed both).
                float number = ((Number) value).floatValue();
                out[offset] = Float.isInfinite(number) ? Float.NaN : number;
            }
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

        /**
         * Encodes the selected rows (the candidate's or a champion's transform, training splits, batch chunks)
         * into a DMatrix with the transform's names and types.
         *
         * @param selected indexes into {@code rows}, in the order of the matrix's rows
         * @param labels   one per selected row, or null for a matrix to predict on
         */
        public DMatrix matrix(List<Object[]> rows, int[] selected, float[] labels) throws XGBoostError {
            return matrix(encode(rows, selected), selected.length, labels);
        }

        /** The selected rows encoded row-major, {@link #width()} floats each (for checks that read features). */
        public float[] encode(List<Object[]> rows, int[] selected) {
            int width = width();
            float[] data = new float[selected.length * width];
            for (int r = 0; r < selected.length; r++) {
                encode(rows.get(selected[r]), data, r * width);
            }
            return data;
        }

        /** A DMatrix of rows encoded by {@link #encode(List, int[])}, labelled when {@code labels} is not null. */
        public DMatrix matrix(float[] data, int rows, float[] labels) throws XGBoostError {
            DMatrix matrix = FeatureTransform.this.matrix(data, rows);
            if (labels != null) {
                matrix.setLabel(labels);
            }
            return matrix;
        }
    }

    /** Collects what a fitted transform needs from the training rows (the categorical dictionaries). */
    public static final class Fitter {
        private final List<ColumnSchema> columns = new ArrayList<>();
        private final int[] positions;
        private final List<Map<String, Long>> counts = new ArrayList<>();
        private final double[] min;
        private final double[] max;

        private Fitter(DatasetSchema schema, List<String> names) {
            Objects.requireNonNull(schema, "schema");
            Objects.requireNonNull(names, "columns");
            positions = new int[names.size()];
            min = new double[names.size()];
            max = new double[names.size()];
            java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
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
                if (value == null) {
                    continue;
                }
                FeatureKind kind = kindOf(columns.get(i).type());
                if (kind == FeatureKind.CATEGORICAL) {
                    counts.get(i).merge(value.toString(), 1L, Long::sum);
                } else if (kind == FeatureKind.NUMERIC) {
                    double v = ((Number) value).doubleValue();
                    min[i] = Math.min(min[i], v);
                    max[i] = Math.max(max[i], v);
                }
            }
        }

        public FeatureTransform fit() {
            List<FeatureInput> inputs = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                ColumnSchema column = columns.get(i);
                FeatureKind kind = kindOf(column.type());
                List<String> categories = kind == FeatureKind.CATEGORICAL ? dictionary(column, counts.get(i)) : null;
                boolean ranged = kind == FeatureKind.NUMERIC && min[i] <= max[i];
                inputs.add(new FeatureInput(
                        column.name(), kind, categories, column, ranged ? min[i] : null, ranged ? max[i] : null));
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

    /**
     * The raw values an encoded record stood for, by input column: the inverse of {@link #encode} as far as the
     * encoding keeps them, for turning logged predictions back into dataset rows. Numbers come back as the float
     * they were encoded to, written through {@link Float#toString} (12.8 stays 12.8, not 12.800000190734863),
     * integer columns as longs; booleans as booleans; categories by their code; timestamps to the minute (the day
     * is the day count less the hour's share, rounded, so the float's error of about three minutes in the day
     * count never moves a value across midnight; the minute is in the hour part); a missing value as null.
     * Empty when a raw value is lost: an unseen category (encoded as missing) or a refused value.
     *
     * @param kinds    what each input's raw value was, aligned with {@link #inputs()}
     * @param features the encoded record, aligned with {@link #featureNames()}
     */
    public java.util.Optional<Map<String, Object>> decode(ValueKind[] kinds, float[] features) {
        Objects.requireNonNull(kinds, "kinds");
        Objects.requireNonNull(features, "features");
        if (kinds.length != inputs.size() || features.length != width()) {
            throw new IllegalArgumentException("a record of " + kinds.length + " kinds and " + features.length
                    + " features does not fit a transform of " + inputs.size() + " inputs and " + width()
                    + " features");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        int offset = 0;
        for (int at = 0; at < inputs.size(); at++) {
            FeatureInput input = inputs.get(at);
            if (kinds[at] == ValueKind.UNSEEN_CATEGORY || kinds[at] == ValueKind.REFUSED) {
                return java.util.Optional.empty();
            }
            float f = features[offset];
            Object value;
            if (kinds[at] == ValueKind.MISSING || Float.isNaN(f)) {
                value = null;
            } else {
                value = switch (input.kind()) {
                    case NUMERIC ->
                        input.accepts().type() == ColumnType.INTEGER
                                ? (Object) Math.round((double) f)
                                : (Object) Double.parseDouble(Float.toString(f));
                    case BOOLEAN -> f != 0f;
                    case CATEGORICAL -> input.categories().get((int) f);
                    case TIMESTAMP -> {
                        float hour = features[offset + 1];
                        long day = Math.round(features[offset + 3] - hour / 24.0);
                        long minutes = Math.round(hour * 60.0);
                        yield Instant.ofEpochSecond(day * 86_400L + minutes * 60L);
                    }
                };
            }
            values.put(input.column(), value);
            offset += input.width();
        }
        return java.util.Optional.of(values);
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
