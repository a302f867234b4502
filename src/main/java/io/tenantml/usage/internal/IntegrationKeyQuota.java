package io.tenantml.usage.internal;

import io.tenantml.security.KeyIssuanceCheck;
import io.tenantml.shared.Role;
import io.tenantml.usage.Limit;
import io.tenantml.usage.Quotas;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.LongSupplier;

/**
 * The plan's {@code integrationClients} limit over a tenant's integration API keys (409 on one more), counted under
 * the tenant's lock on the limit in the issuing transaction, so issues at once cannot all pass one count.
 */
@ApplicationScoped
public class IntegrationKeyQuota implements KeyIssuanceCheck {

    @Inject
    Quotas quotas;

    @Override
    public void beforeIssue(Role role, LongSupplier activeKeysOfRole) {
        if (role == Role.INTEGRATION) {
            quotas.requireRoomForOneMore(Limit.INTEGRATION_CLIENTS, activeKeysOfRole);
        }
    }
}
