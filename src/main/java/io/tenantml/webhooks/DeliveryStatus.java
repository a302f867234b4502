package io.tenantml.webhooks;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** Where a delivery (one event to one endpoint) stands. */
public enum DeliveryStatus {
    /** Waiting for its next attempt (or in flight). */
    PENDING("pending"),
    /** A 2xx answer was received. */
    DELIVERED("delivered"),
    /** Retried for {@code tenantml.webhooks.retry-for} without success; only a redelivery sends it again. */
    FAILED("failed");

    private final String wireName;

    DeliveryStatus(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static DeliveryStatus fromWire(String wire) {
        return Arrays.stream(values())
                .filter(s -> s.wireName.equals(wire))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown delivery status " + wire));
    }
}
