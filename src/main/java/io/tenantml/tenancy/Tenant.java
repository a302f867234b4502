package io.tenantml.tenancy;

import java.time.Instant;

/**
 * A tenant as the rest of the platform and the API see it.
 *
 * @param status {@code active}, or {@code leaving} while an offboarding that began has not finished (an operator
 *               finishes it by offboarding again)
 */
public record Tenant(
        String id, String name, TenantSource source, TenantStatus status, Instant createdAt, Instant updatedAt) {}
