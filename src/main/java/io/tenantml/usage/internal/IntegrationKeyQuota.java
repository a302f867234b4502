package io.tenantml.usage.internal;

import io.tenantml.security.KeyIssuanceCheck;
import io.tenantml.shared.Role;
import io.tenantml.usage.Limit;
import io.tenantml.usage.Quotas;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The plan's {@code integrationClients} limit over a tenant's integration API keys (409 on one more). */
@ApplicationScoped
public class IntegrationKeyQuota implements KeyIssuanceCheck {

    @Inject
    Quotas quotas;

    @Override
    public void beforeIssue(Role role, long activeKeysOfRole) {
        if (role == Role.INTEGRATION) {
            quotas.requireRoomForOneMore(Limit.INTEGRATION_CLIENTS, activeKeysOfRole);
        }
    }
}
