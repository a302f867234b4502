package io.tenantml.identity;

import io.tenantml.shared.TenantId;

/**
 * Fired synchronously after each step of provisioning a tenant in Keycloak, for audit logs and for tests
 * that interrupt provisioning at a known point. Steps: {@code organization}, {@code integration-client},
 * {@code admin-user}.
 */
public record ProvisioningProgress(TenantId tenant, String step) {}
