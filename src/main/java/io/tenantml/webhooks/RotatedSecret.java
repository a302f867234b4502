package io.tenantml.webhooks;

import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An endpoint's new signing secret, which is never shown again, and until when the one it replaced still signs. */
public record RotatedSecret(
        UUID id,

        @Schema(
                description = "The new Standard Webhooks secret (whsec_...): deliveries are signed with it from now on;"
                        + " shown once")
        String secret,

        Instant rotatedAt,

        @Schema(
                description = "When the replaced secret stops signing: until then every delivery carries its"
                        + " signature after the new one's; rotatedAt for an overlap of PT0S")
        Instant previousSecretExpiresAt) {}
