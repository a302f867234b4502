package io.tenantml.webhooks;

import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A rotation of an endpoint's signing secret; the body is optional, every field too. */
public record SecretRotation(
        @Schema(
                type = SchemaType.STRING,
                example = "PT24H",
                description = "ISO-8601 duration the replaced secret still signs beside the new one (every delivery"
                        + " carries both signatures); PT0S switches at once. Default tenantml.webhooks."
                        + "secret-rotation-overlap (PT24H), at most tenantml.webhooks.max-secret-rotation-overlap"
                        + " (P7D)")
        @Size(max = 40)
        String overlap) {

    /** A rotation with the configured default overlap (a request without a body). */
    public static final SecretRotation DEFAULTS = new SecretRotation(null);
}
