package io.tenantml.experts;

import com.fasterxml.jackson.annotation.JsonValue;
import io.tenantml.scheduling.RunState;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A build's status: its run's state in the run ledger, except that a run that succeeded but whose generation the
 * gate did not make current is {@link #REJECTED} (evaluated and kept, worse than the current generation beyond
 * the tolerance). {@code skipped}: a scheduled run that found no new dataset version (recorded, nothing
 * embedded); {@code cancelled}: its recommender was deleted while it was queued or running.
 */
@Schema(
        type = SchemaType.STRING,
        enumeration = {"queued", "running", "succeeded", "rejected", "failed", "cancelled", "skipped"},
        description = "Status of an index build")
public enum BuildStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    REJECTED,
    FAILED,
    CANCELLED,
    SKIPPED;

    public static BuildStatus of(RunState state, Boolean accepted) {
        return switch (state) {
            case QUEUED -> QUEUED;
            case RUNNING -> RUNNING;
            case SUCCEEDED -> Boolean.FALSE.equals(accepted) ? REJECTED : SUCCEEDED;
            case FAILED -> FAILED;
            case CANCELLED -> CANCELLED;
            case SKIPPED -> SKIPPED;
        };
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BuildStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public boolean active() {
        return this == QUEUED || this == RUNNING;
    }
}
