package io.tenantml.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tenantml.shared.Role;
import java.time.Instant;
import java.util.UUID;

/** An API key as listed: never its secret. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ApiKeyView(
        UUID id,
        String name,
        Role role,
        String prefix,
        Instant createdAt,
        String createdBy,
        Instant lastUsedAt,
        Instant revokedAt,
        Instant expiresAt) {}
