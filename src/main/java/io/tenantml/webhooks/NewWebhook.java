package io.tenantml.webhooks;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A webhook endpoint to register. */
public record NewWebhook(
        @Schema(description = "http(s) URL of the receiver; must resolve to a public address unless allow-listed")
        @NotNull
        @Size(max = 2048)
        String url,

        @Schema(description = "Event types to receive, e.g. training.succeeded, model.promoted")
        @NotNull
        @Size(min = 1, max = 20)
        List<String> events,

        @Schema(description = "Standard Webhooks secret (whsec_ + base64 of 24 to 64 bytes); generated when absent")
        @Size(max = 200)
        String secret) {}
