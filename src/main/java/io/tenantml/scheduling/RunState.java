package io.tenantml.scheduling;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Where a run is in its lifecycle:
 *
 * <pre>
 *  QUEUED ──claim (free slot, fair order)──> RUNNING ──handler returns──> SUCCEEDED
 *    │  ▲                                      │ │ └──handler throws──────> FAILED
 *    │  └──node died, first time (attempt 1)───┘ └──cancel requested─────> CANCELLED
 *    └──cancel──> CANCELLED          node died again (attempt 2) ────────> FAILED (interrupted)
 *  SKIPPED: recorded as ended without running (e.g. a scheduled training with no new data)
 * </pre>
 *
 * On the wire in lower case ({@code "running"}), like every enum of the API.
 */
@Schema(
        type = SchemaType.STRING,
        enumeration = {"queued", "running", "succeeded", "failed", "cancelled", "skipped"},
        description = "State of a run in the run ledger")
public enum RunState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    SKIPPED;

    /** Queued or running: it may still change. */
    public boolean active() {
        return this == QUEUED || this == RUNNING;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RunState fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
