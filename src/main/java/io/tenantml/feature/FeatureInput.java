package io.tenantml.feature;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tenantml.dataset.ColumnSchema;
import io.tenantml.dataset.ColumnType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One input column of a {@link FeatureTransform}. Immutable; a class rather than a record only so that
 * the category lookup can be indexed once.
 * <p>
 * {@code schema} is the column as the training dataset declared it (type and constraints): online records
 * are read against it with {@link io.tenantml.dataset.CellParser}, exactly as ingestion read the training
 * rows. Transforms saved before it existed have none; they read values by their {@link FeatureKind}'s
 * column type without constraints ({@link #accepts()}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class FeatureInput {

    private final String column;
    private final FeatureKind kind;
    private final List<String> categories;
    private final Map<String, Integer> codes;
    private final ColumnSchema schema;
    private final ColumnSchema accepts;
    private final Double min;
    private final Double max;

    /** An input without a saved column schema, as transforms were saved before they had one. */
    public FeatureInput(String column, FeatureKind kind, List<String> categories) {
        this(column, kind, categories, null, null, null);
    }

    /** An input without a training range, as transforms were saved before they had one. */
    public FeatureInput(String column, FeatureKind kind, List<String> categories, ColumnSchema schema) {
        this(column, kind, categories, schema, null, null);
    }

    /**
     * @param categories for {@link FeatureKind#CATEGORICAL}: the dictionary; a value's code is its index
     * @param schema     the column in the training dataset (null in transforms saved before it was kept)
     * @param min        for {@link FeatureKind#NUMERIC}: the smallest value of the training rows (null when
     *                   unknown: transforms saved before it was kept, or no value at all)
     * @param max        the largest, likewise
     */
    @JsonCreator
    public FeatureInput(
            @JsonProperty("column") String column,
            @JsonProperty("kind") FeatureKind kind,
            @JsonProperty("categories") List<String> categories,
            @JsonProperty("schema") ColumnSchema schema,
            @JsonProperty("min") Double min,
            @JsonProperty("max") Double max) {
        this.column = Objects.requireNonNull(column, "column");
        this.kind = Objects.requireNonNull(kind, "kind");
        if (schema != null && !schema.name().equals(column)) {
            throw new IllegalArgumentException(
                    "the schema of input '" + column + "' names another column: '" + schema.name() + "'");
        }
        if (schema != null && FeatureTransform.kindOf(schema.type()) != kind) {
            throw new IllegalArgumentException("input '" + column + "' is " + kind.wireName() + " but its column is "
                    + schema.type().wireName());
        }
        this.schema = schema;
        if ((min != null || max != null) && kind != FeatureKind.NUMERIC) {
            throw new IllegalArgumentException("only numeric inputs have a training range: " + column);
        }
        if ((min == null) != (max == null) || (min != null && !(min <= max))) {
            throw new IllegalArgumentException("input '" + column + "' needs both min <= max or neither");
        }
        this.min = min;
        this.max = max;
        this.accepts = schema != null ? schema : new ColumnSchema(column, typeOf(kind), true, null, null, null);
        if (kind == FeatureKind.CATEGORICAL) {
            this.categories = List.copyOf(Objects.requireNonNull(categories, "categories of " + column));
            this.codes = new HashMap<>();
            for (int i = 0; i < this.categories.size(); i++) {
                if (codes.putIfAbsent(this.categories.get(i), i) != null) {
                    throw new IllegalArgumentException(
                            "duplicate category '" + this.categories.get(i) + "' in " + column);
                }
            }
        } else if (categories != null) {
            throw new IllegalArgumentException("only categorical inputs have categories: " + column);
        } else {
            this.categories = null;
            this.codes = Map.of();
        }
    }

    @JsonProperty("column")
    public String column() {
        return column;
    }

    @JsonProperty("kind")
    public FeatureKind kind() {
        return kind;
    }

    @JsonProperty("categories")
    public List<String> categories() {
        return categories;
    }

    /** The column as the training dataset declared it; null for transforms saved before it was kept. */
    @JsonProperty("schema")
    public ColumnSchema schema() {
        return schema;
    }

    /** The smallest numeric value of the training rows; null when unknown. */
    @JsonProperty("min")
    public Double min() {
        return min;
    }

    /** The largest numeric value of the training rows; null when unknown. */
    @JsonProperty("max")
    public Double max() {
        return max;
    }

    /** Whether a numeric value lies outside the training range (never, when the range is unknown). */
    public boolean outOfRange(double value) {
        return min != null && (value < min || value > max);
    }

    /**
     * What an online value of this input is read against: {@link #schema()}, or for transforms saved
     * without one, the column type of the kind (numeric, boolean, categorical, timestamp), nullable and
     * unconstrained.
     */
    public ColumnSchema accepts() {
        return accepts;
    }

    private static ColumnType typeOf(FeatureKind kind) {
        return switch (kind) {
            case NUMERIC -> ColumnType.NUMERIC;
            case BOOLEAN -> ColumnType.BOOLEAN;
            case CATEGORICAL -> ColumnType.CATEGORICAL;
            case TIMESTAMP -> ColumnType.TIMESTAMP;
        };
    }

    /** The category's code, or -1 when the value is not in the dictionary. */
    public int code(String value) {
        Integer code = codes.get(value);
        return code == null ? -1 : code;
    }

    /** How many features this input produces. */
    public int width() {
        return kind == FeatureKind.TIMESTAMP ? FeatureTransform.TIMESTAMP_PARTS.size() : 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureInput other
                && column.equals(other.column)
                && kind == other.kind
                && Objects.equals(categories, other.categories)
                && Objects.equals(schema, other.schema)
                && Objects.equals(min, other.min)
                && Objects.equals(max, other.max);
    }

    @Override
    public int hashCode() {
        return Objects.hash(column, kind, categories, schema, min, max);
    }

    @Override
    public String toString() {
        return "FeatureInput[" + column + ", " + kind.wireName() + ", "
                + accepts.type().wireName() + (categories == null ? "" : ", " + categories.size() + " categories")
                + "]";
    }
}
