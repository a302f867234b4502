package io.tenantml.webhooks;

import io.tenantml.events.EventType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A registered endpoint; its secret is shown only once, when it is created or rotated. */
public record WebhookView(
        UUID id,
        String url,
        List<EventType> events,
        boolean enabled,
        String disabledReason,
        int consecutiveFailures,
        Instant createdAt,
        String createdBy,

        @Schema(
                description = "Present while a secret rotation's overlap lasts: until then the replaced secret still"
                        + " signs every delivery beside the current one")
        Instant previousSecretExpiresAt) {}
