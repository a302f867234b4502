package io.tenantml.training;

import com.fasterxml.jackson.annotation.JsonValue;
import io.tenantml.scheduling.RunState;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A training's status: its run's state in the run ledger, except that a run that succeeded but whose version the
 * gate refused is {@link #REJECTED} (the version is registered all the same).
 */
@Schema(
        type = SchemaType.STRING,
        enumeration = {"queued", "running", "succeeded", "rejected", "failed", "cancelled", "skipped"},
        description = "Status of a training")
public enum TrainingStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    REJECTED,
    FAILED,
    CANCELLED,
    SKIPPED;

    public static TrainingStatus of(RunState state, Boolean accepted) {
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
}
