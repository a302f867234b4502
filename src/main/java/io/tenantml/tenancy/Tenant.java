package io.tenantml.tenancy;

import java.time.Instant;

/** A tenant as the rest of the platform and the API see it. */
public record Tenant(String id, String name, TenantSource source, Instant createdAt, Instant updatedAt) {}
