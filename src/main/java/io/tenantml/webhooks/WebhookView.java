package io.tenantml.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A registered endpoint; its secret is shown only once, when it is created. */
public record WebhookView(
        UUID id,
        String url,
        List<String> events,
        boolean enabled,
        String disabledReason,
        int consecutiveFailures,
        Instant createdAt,
        String createdBy) {}
