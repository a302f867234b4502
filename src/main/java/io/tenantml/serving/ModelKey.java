package io.tenantml.serving;

import io.tenantml.shared.TenantId;
import java.util.Objects;
import java.util.UUID;

/**
 * A model version of one tenant: the unit the serving cache loads and evicts. {@code versionId} is the
 * version's row id, its incarnation: a model deleted and created again has versions of the same numbers,
 * never of the same ids, so the old model's booster can never answer for the new one.
 */
public record ModelKey(TenantId tenant, String model, int version, UUID versionId) {

    public ModelKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(versionId, "versionId");
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
    }
}
