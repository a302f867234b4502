package io.tenantml.usage.internal;

import io.tenantml.security.ApiKeyService;
import io.tenantml.shared.Role;
import io.tenantml.usage.Limit;
import io.tenantml.usage.QuotaCount;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The plan's {@code integrationClients} limit over integration API keys not revoked ({@link IntegrationKeyQuota}
 * checks it when one is issued); Keycloak's integration clients are counted on their own against the same limit.
 */
@ApplicationScoped
public class IntegrationKeyCount implements QuotaCount {

    @Inject
    ApiKeyService apiKeys;

    @Override
    public Limit limit() {
        return Limit.INTEGRATION_CLIENTS;
    }

    @Override
    public String counts() {
        return "integration API keys";
    }

    @Override
    public long current() {
        return apiKeys.activeKeys(Role.INTEGRATION);
    }
}
