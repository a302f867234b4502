package io.tenantml.tenancy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a tenant was declared. */
public enum TenantSource {
    /** Onboarded through the API. */
    API,
    /** Declared by a tenant manifest. */
    MANIFEST;

    /** As the API and the database write it: lower case, words joined by hyphens. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static TenantSource fromWire(String value) {
        for (TenantSource v : values()) {
            if (v.wireName().equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown tenantSource '" + value + "'");
    }
}
