package io.tenantml.serving;

import io.tenantml.shared.TenantId;
import java.util.Objects;

/** A model version of one tenant: the unit the serving cache loads and evicts. */
public record ModelKey(TenantId tenant, String model, int version) {

    public ModelKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(model, "model");
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
    }
}
