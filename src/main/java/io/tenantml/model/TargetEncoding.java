package io.tenantml.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How target values become XGBoost labels, saved with the model so that serving can name its labels.
 *
 * @param classes binary: [negative, positive]; multiclass: class names, the label is the index;
 *                regression: null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TargetEncoding(Objective objective, String target, List<String> classes, PositiveClass positive) {

    /**
     * Fits the encoding from every target value (classes of the whole version, so none is unseen at validation).
     * Takes the spec's parts rather than the spec, so that this vocabulary does not depend on training.
     *
     * @param positive the positive class of a binary model (null: a boolean target)
     */
    public static TargetEncoding fit(
            Objective objective, String target, PositiveClass positive, Iterable<Object> targetValues) {
        return switch (objective) {
            case REGRESSION -> new TargetEncoding(Objective.REGRESSION, target, null, null);
            case BINARY -> {
                List<String> classes = positive == null
                        ? List.of("false", "true")
                        : positive.equals() != null
                                ? List.of("not " + positive.equals(), positive.equals())
                                : List.of("<= " + format(positive.above()), "> " + format(positive.above()));
                yield new TargetEncoding(Objective.BINARY, target, classes, positive);
            }
            case MULTICLASS -> {
                TreeSet<String> distinct = new TreeSet<>();
                for (Object value : targetValues) {
                    if (value != null) {
                        distinct.add(value.toString());
                    }
                }
                if (distinct.size() < 2) {
                    throw new InvalidSpecException(
                            "target",
                            "multiclass target '" + target + "' needs at least two classes, found " + distinct);
                }
                yield new TargetEncoding(Objective.MULTICLASS, target, List.copyOf(distinct), null);
            }
        };
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    public int numClass() {
        return classes == null ? 1 : classes.size();
    }

    /** A label lookup for the typed target values of dataset rows; null for a missing target. */
    public Function<Object, Float> labeller() {
        return switch (objective) {
            case REGRESSION -> value -> value == null ? null : ((Number) value).floatValue();
            case BINARY -> {
                if (positive == null) {
                    yield value -> value == null ? null : ((Boolean) value) ? 1f : 0f;
                }
                if (positive.above() != null) {
                    double above = positive.above();
                    yield value -> value == null ? null : ((Number) value).doubleValue() > above ? 1f : 0f;
                }
                String equals = positive.equals();
                yield value -> value == null ? null : equals.equals(value.toString()) ? 1f : 0f;
            }
            case MULTICLASS -> {
                Map<String, Integer> index =
                        classes.stream().collect(Collectors.toMap(Function.identity(), classes::indexOf));
                yield value -> {
                    if (value == null) {
                        return null;
                    }
                    Integer code = index.get(value.toString());
                    return code == null ? null : code.floatValue();
                };
            }
        };
    }

    /**
     * The label of one feedback item as the model's metrics take it, or null when it names no label of this
     * model. Regression: {@code value} (or a numeric {@code label}). Classifiers: a {@code label} naming one of
     * {@link #classes()} (as predictions name them) is that class; a binary model also takes the target's
     * own values: {@code true}/{@code false} for a boolean target, the positive value or any other (negative)
     * for {@code positive.equals}, and a number ({@code value} or a numeric {@code label}) compared with
     * {@code positive.above}.
     */
    public Float feedbackLabel(String label, Double value) {
        return switch (objective) {
            case REGRESSION -> {
                Double v = value != null ? value : number(label);
                yield v == null || !Double.isFinite(v) ? null : Float.valueOf(v.floatValue());
            }
            case MULTICLASS -> {
                int index = label == null ? -1 : classes.indexOf(label);
                yield index < 0 ? null : Float.valueOf(index);
            }
            case BINARY -> {
                int index = label == null ? -1 : classes.indexOf(label);
                if (index >= 0) {
                    yield Float.valueOf(index);
                }
                if (positive == null) {
                    if ("true".equalsIgnoreCase(label)) {
                        yield Float.valueOf(1f);
                    }
                    yield "false".equalsIgnoreCase(label) ? Float.valueOf(0f) : null;
                }
                if (positive.equals() != null) {
                    yield label == null ? null : Float.valueOf(positive.equals().equals(label) ? 1f : 0f);
                }
                Double v = value != null ? value : number(label);
                yield v == null || Double.isNaN(v) ? null : Float.valueOf(v > positive.above() ? 1f : 0f);
            }
        };
    }

    /**
     * What feedback this target reads as a label, for a client told its label was not one: the feedback
     * {@link #feedbackLabel} turns into null is unusable for realised performance.
     */
    public String feedbackTakes() {
        String named = classes == null
                ? null
                : "a label naming one of its classes (" + io.tenantml.shared.Texts.listed(classes, 20) + ")";
        return switch (objective) {
            case REGRESSION -> "a number, as value or as a numeric label";
            case MULTICLASS -> named;
            case BINARY -> {
                if (positive == null) {
                    yield named + ", or true/false";
                }
                yield positive.equals() != null
                        ? "a label ('" + positive.equals() + "' is the positive class, any other the negative)"
                        : named + ", or a number, as value or label (above " + positive.above() + " is positive)";
            }
        };
    }

    private static Double number(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Double.valueOf(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
