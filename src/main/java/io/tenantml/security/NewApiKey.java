package io.tenantml.security;

import io.tenantml.shared.Role;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

public record NewApiKey(
        @NotBlank
        @Size(max = 100)
        @Pattern(
                regexp = "^[A-Za-z0-9][A-Za-z0-9 ._-]*$",
                message = "letters, digits, space, '.', '_' or '-', starting with a letter or digit")
        String name,

        @NotNull Role role,

        @Schema(
                description = "When the key stops working (optional; at most " + ApiKeyService.MAX_LIFETIME_DAYS
                        + " days ahead): without it the key works until revoked")
        Instant expiresAt) {}
