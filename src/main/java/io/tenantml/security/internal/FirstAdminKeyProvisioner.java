package io.tenantml.security.internal;

import io.tenantml.security.ApiKeyService;
import io.tenantml.security.IssuedApiKey;
import io.tenantml.security.NewApiKey;
import io.tenantml.shared.Role;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.OnboardedTenant;
import io.tenantml.tenancy.OnboardingRequest;
import io.tenantml.tenancy.Tenant;
import io.tenantml.tenancy.TenantProvisioner;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * Gives every tenant onboarded through the API its first admin key, shown once in the onboarding answer.
 * Security reacts to tenant creation through tenancy's extension point, so tenancy does not know about keys
 * (docs/architecture.md, "Allowed dependencies"). Runs first among provisioners (highest priority), as the
 * key was issued before any other provisioner ran when onboarding issued it itself.
 */
@ApplicationScoped
@Priority(1000)
public class FirstAdminKeyProvisioner implements TenantProvisioner {

    @Inject
    ApiKeyService apiKeys;

    /**
     * Runs inside the onboarding transaction with the new tenant in context, so the key row is written under
     * it and rolls back with the tenant if a later provisioner fails.
     */
    @Override
    public Map<String, Object> provision(Tenant tenant, OnboardingRequest request) {
        IssuedApiKey adminKey = apiKeys.issue(new NewApiKey("admin", Role.ADMIN, null));
        return Map.of(OnboardedTenant.ADMIN_API_KEY, adminKey.key());
    }

    /**
     * Nothing to undo: the key is a row of the tenant, rolled back with a failed onboarding and deleted by
     * cascade at offboarding (when cached verifications are dropped by the tenant-deleted event).
     */
    @Override
    public void deprovision(TenantId tenant) {}
}
