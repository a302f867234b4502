package io.tenantml.tenancy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a tenant is in its life. */
public enum TenantStatus {
    /** Onboarded and served. */
    ACTIVE,
    /** An offboarding began and has not finished; an operator finishes it by offboarding again. */
    LEAVING;

    /** As the API and the database write it: lower case. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static TenantStatus fromWire(String value) {
        for (TenantStatus v : values()) {
            if (v.wireName().equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown tenantStatus '" + value + "'");
    }
}
