package io.tenantml.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One event of a tenant as its feed shows it: the same event a webhook delivery carries, in the same shape, so a
 * client reads the feed and its webhooks with one parser.
 *
 * @param id         the event's id, which every webhook delivery of it sends as {@code webhook-id}
 * @param occurredAt when the change that caused it committed; a delivery's body has it as {@code timestamp}
 * @param data       the delivery body's {@code data}, member for member: read as a tree, as the delivery job reads
 *                   it, so that numbers and nulls are written the same way in both
 */
@Schema(description = "One tenant event, as webhook deliveries carry it")
public record EventView(
        @Schema(description = "The event's id; webhook deliveries of it send it as the `webhook-id` header")
        UUID id,

        @Schema(description = "What happened; the delivery body's `type`")
        EventType type,

        @Schema(description = "When the change that caused it committed; the delivery body's `timestamp`")
        Instant occurredAt,

        // implementation: without it the scanner describes a JsonNode as an array (it is Iterable)
        @Schema(
                type = SchemaType.OBJECT,
                implementation = Object.class,
                description = "Exactly the delivery body's `data`: the tenant (`tenant`) and thin facts of the event"
                        + " (names and ids), which depend on `type`, e.g. training.succeeded: model, training,"
                        + " version, promoted; model.promoted: model, alias, from, to, reason; quota.exceeded:"
                        + " limit, max, detail")
        JsonNode data) {}
