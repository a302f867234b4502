package io.tenantml.security;

import io.tenantml.shared.Role;
import java.time.Instant;
import java.util.UUID;

/** A freshly issued key: the only time its secret {@code key} is ever shown. */
public record IssuedApiKey(
        UUID id, String name, Role role, String prefix, String key, Instant createdAt, Instant expiresAt) {}
