package io.tenantml.feature;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One input column of a {@link FeatureTransform}. Immutable; a class rather than a record only so that
 * the category lookup can be indexed once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class FeatureInput {

    private final String column;
    private final FeatureKind kind;
    private final List<String> categories;
    private final Map<String, Integer> codes;

    /**
     * @param categories for {@link FeatureKind#CATEGORICAL}: the dictionary; a value's code is its index
     */
    @JsonCreator
    public FeatureInput(
            @JsonProperty("column") String column,
            @JsonProperty("kind") FeatureKind kind,
            @JsonProperty("categories") List<String> categories) {
        this.column = Objects.requireNonNull(column, "column");
        this.kind = Objects.requireNonNull(kind, "kind");
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
                && Objects.equals(categories, other.categories);
    }

    @Override
    public int hashCode() {
        return Objects.hash(column, kind, categories);
    }

    @Override
    public String toString() {
        return "FeatureInput[" + column + ", " + kind.wireName()
                + (categories == null ? "" : ", " + categories.size() + " categories") + "]";
    }
}
