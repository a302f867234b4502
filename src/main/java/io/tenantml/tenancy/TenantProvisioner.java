package io.tenantml.tenancy;

import io.tenantml.shared.TenantId;
import java.util.Map;

/**
 * Extension point for systems outside PostgreSQL that hold per-tenant objects (an identity provider,
 * for instance). Lifecycle: {@link #provision} runs after the tenant row is written but before its
 * transaction commits; if any provisioner fails, the ones that succeeded get {@link #deprovision} and
 * the transaction rolls back, so no half-made tenant remains. {@link #deprovision} must be idempotent:
 * it also runs on offboarding and when cleaning up after a crash.
 *
 * <p>Provisioners run highest {@code @Priority} first, inside the onboarding transaction and with the new tenant
 * in {@link TenantContext}, so rows they write belong to it and roll back with it. Security's provisioner
 * issues the first admin key this way: tenancy does not depend on security.
 */
public interface TenantProvisioner {

    /** @return members to add to the onboarding response (shown once), never persisted by the platform. */
    Map<String, Object> provision(Tenant tenant, OnboardingRequest request);

    void deprovision(TenantId tenant);
}
