package io.tenantml.identity.internal;

import io.tenantml.identity.IdentityConfig;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.usage.Limit;
import io.tenantml.usage.QuotaCount;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The plan's {@code integrationClients} limit over the tenant's integration clients in Keycloak (checked when one is
 * created); integration API keys are counted on their own against the same limit. Asks Keycloak, so it counts only
 * where the platform provisions there.
 */
@ApplicationScoped
public class IntegrationClientCount implements QuotaCount {

    @Inject
    IdentityConfig config;

    @Inject
    KeycloakTenantDirectory directory;

    @Inject
    TenantContext tenantContext;

    @Override
    public Limit limit() {
        return Limit.INTEGRATION_CLIENTS;
    }

    @Override
    public String counts() {
        return "Keycloak integration clients";
    }

    @Override
    public long current() {
        return directory.integrationClients(tenantContext.require()).size();
    }

    @Override
    public boolean applies() {
        return config.provisioning().enabled();
    }
}
