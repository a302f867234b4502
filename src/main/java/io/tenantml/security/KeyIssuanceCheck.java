package io.tenantml.security;

import io.tenantml.shared.Role;

/**
 * Extension point: asked by {@link ApiKeyService} before it issues a tenant's key, inside the issuing transaction and
 * with the tenant in context. An implementation refuses by throwing a {@code ProblemException} (nothing is written
 * then). Implemented by {@code usage} for the plan's {@code integrationClients} limit; security knows nothing of plans.
 */
public interface KeyIssuanceCheck {

    /**
     * @param role             the role of the key about to be issued
     * @param activeKeysOfRole the tenant's keys of that role not revoked
     */
    void beforeIssue(Role role, long activeKeysOfRole);
}
