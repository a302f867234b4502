package io.tenantml.registry;

import java.util.Objects;
import java.util.UUID;

/**
 * A model version as the serving cache must know it: its number and the id of its row. Numbers repeat when
 * a model is deleted and created again under the same name (versions restart at 1); ids never do, so a
 * cache keyed by the id can never serve the deleted model's version for the new one.
 */
public record VersionRef(int version, UUID id) {

    public VersionRef {
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
        Objects.requireNonNull(id, "id");
    }
}
