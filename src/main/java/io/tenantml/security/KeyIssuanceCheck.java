package io.tenantml.security;

import io.tenantml.shared.Role;
import java.util.function.LongSupplier;

/**
 * Extension point: asked by {@link ApiKeyService} before it issues a tenant's key, inside the issuing transaction and
 * with the tenant in context. An implementation refuses by throwing a {@code ProblemException} (nothing is written
 * then). Implemented by {@code usage} for the plan's {@code integrationClients} limit; security knows nothing of plans.
 */
public interface KeyIssuanceCheck {

    /**
     * @param role             the role of the key about to be issued
     * @param activeKeysOfRole counts the tenant's keys of that role not revoked, when asked; a check that must
     *     not be passed by two issues at once takes its lock first and counts after, in the issuing transaction
     */
    void beforeIssue(Role role, LongSupplier activeKeysOfRole);
}
