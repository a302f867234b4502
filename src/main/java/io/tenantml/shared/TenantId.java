package io.tenantml.shared;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.regex.Pattern;

/** A validated tenant id; it is also the prefix of every blob key and the Quartz job group of the tenant. */
public record TenantId(String value) {

    public static final String PATTERN = "^[a-z][a-z0-9-]{1,39}$";
    private static final Pattern VALID = Pattern.compile(PATTERN);

    public TenantId {
        Objects.requireNonNull(value, "value");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("tenant id '" + value + "' does not match " + PATTERN);
        }
    }

    @JsonCreator
    public static TenantId of(String value) {
        return new TenantId(value);
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
