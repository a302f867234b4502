package io.tenantml.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How rows are divided into training and validation.
 *
 * @param method           random (by a hash of each row's content and the seed) or time (the latest rows by the dataset's time column validate)
 * @param holdoutFraction  share of rows used for validation, 0.05..0.5 (default 0.2)
 */
public record SplitSpec(Method method, Double holdoutFraction) {

    public static final SplitSpec DEFAULT = new SplitSpec(Method.RANDOM, 0.2);

    public SplitSpec {
        method = method == null ? Method.RANDOM : method;
        holdoutFraction = holdoutFraction == null ? 0.2 : holdoutFraction;
        if (holdoutFraction < 0.05 || holdoutFraction > 0.5) {
            throw new InvalidSpecException("split.holdoutFraction", "split.holdoutFraction must be 0.05..0.5");
        }
    }

    public enum Method {
        RANDOM,
        TIME;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Method fromWire(String value) {
            for (Method method : values()) {
                if (method.wireName().equals(value)) {
                    return method;
                }
            }
            throw new InvalidSpecException("split.method", "split.method must be random or time");
        }
    }
}
