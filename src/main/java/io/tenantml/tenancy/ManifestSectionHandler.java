package io.tenantml.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantml.shared.TenantId;
import java.nio.file.Path;

/**
 * A feature's part of a tenant manifest ({@code datasets:}, {@code models:} ...). Called at start-up,
 * after the tenant itself is applied, inside a {@link TenantScope} of that tenant, in {@link #order()}.
 * Must be idempotent: it runs on every start of every node.
 */
public interface ManifestSectionHandler {

    /** The top-level key this handler owns. */
    String section();

    /** Lower runs first (datasets before the models trained on them). */
    default int order() {
        return 100;
    }

    /**
     * @param manifestDir the manifest's directory, for files referenced relative to it
     * @throws ManifestException naming the field that is wrong
     */
    void apply(TenantId tenant, JsonNode section, Path manifestDir) throws ManifestException;

    class ManifestException extends Exception {
        private final String field;

        public ManifestException(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
