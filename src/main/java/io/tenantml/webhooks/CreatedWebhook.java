package io.tenantml.webhooks;

import io.tenantml.events.EventType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A new endpoint and its signing secret, which is never shown again. */
public record CreatedWebhook(
        UUID id,
        String url,
        List<EventType> events,
        boolean enabled,
        Instant createdAt,
        String createdBy,

        @Schema(description = "Standard Webhooks secret (whsec_...): verify webhook-signature with it; shown once")
        String secret) {}
