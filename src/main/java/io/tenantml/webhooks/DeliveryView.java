package io.tenantml.webhooks;

import io.tenantml.events.EventType;
import java.time.Instant;
import java.util.UUID;

/**
 * One event to one endpoint, as its log shows it: status, how many attempts, and the last attempt's answer
 * (HTTP status, latency, the first characters of the body) or error.
 */
public record DeliveryView(
        UUID id,
        UUID eventId,
        EventType eventType,
        DeliveryStatus status,
        int attempts,
        Instant createdAt,
        Instant lastAttemptAt,
        Instant nextAttemptAt,
        Integer lastStatusCode,
        Integer lastLatencyMs,
        String lastError,
        String responseExcerpt) {}
