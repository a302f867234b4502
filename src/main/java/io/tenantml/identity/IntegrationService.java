package io.tenantml.identity;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantml.identity.internal.IntegrationRevocations;
import io.tenantml.identity.internal.KeycloakTenantDirectory;
import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.database.NameLocks;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.tenancy.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * A tenant's OAuth2 integration clients in Keycloak. The tenant is always the one of the current request;
 * a client id of another tenant is answered exactly like one that does not exist.
 */
@ApplicationScoped
public class IntegrationService {

    private static final Logger LOG = Logger.getLogger(IntegrationService.class);

    @Inject
    TenantContext tenantContext;

    @Inject
    IdentityConfig config;

    @Inject
    KeycloakTenantDirectory directory;

    @Inject
    io.tenantml.identity.internal.IntegrationClientCount clientCount;

    @Inject
    io.tenantml.usage.Quotas quotas;

    @Inject
    NameLocks nameLocks;

    @Inject
    TenantService tenants;

    @Inject
    IntegrationRevocations revocations;

    /**
     * Creates a client of the tenant in Keycloak, then makes sure the tenant did not begin to leave meanwhile. An
     * offboarding marks the tenant leaving (committed) before it lists the tenant's clients to remove them, so a
     * client created after that listing is seen here as a tenant no longer active, and removed again (404, as the
     * tenant's paths answer from then on); a client created before it is in the offboarding's list. Without the
     * check, a create that passed authentication just before the offboarding left an enabled client whose tokens
     * name the gone tenant.
     */
    public IssuedIntegration create(NewIntegration request) {
        requireProvisioning();
        TenantId tenant = tenantContext.require();
        IssuedIntegration issued;
        if (io.tenantml.usage.Limit.INTEGRATION_CLIENTS.of(quotas.limits()) == null) {
            issued = directory.createIntegrationClient(tenant, request.name());
        } else {
            // The clients live in Keycloak, not in our database, but the quota's lock is a database lock: a
            // transaction holds it across the count and the create, so creates at once are counted one after the
            // other (it writes no row of its own).
            issued = QuarkusTransaction.requiringNew().call(() -> {
                quotas.requireRoomForOneMore(io.tenantml.usage.Limit.INTEGRATION_CLIENTS, clientCount::current);
                return directory.createIntegrationClient(tenant, request.name());
            });
        }
        // in a transaction of its own, after the create: it reads the tenant's status as committed now
        if (!tenants.isActive(tenant)) {
            try {
                directory.deleteIntegrationClient(tenant, issued.clientId());
            } catch (RuntimeException e) {
                LOG.warnf(
                        "Could not remove the integration client %s of %s, which is leaving; an onboarding of the"
                                + " same id removes it: %s",
                        issued.clientId(), tenant, e.getMessage());
            }
            throw ProblemException.notFound("No tenant '" + tenant + "'");
        }
        return issued;
    }

    /**
     * The tenant's integration clients by client id. Keycloak cannot filter clients by tenant on its side, so
     * the directory reads them all and the keyset is applied here; a tenant has few integration clients.
     */
    public Page<IntegrationClient> list(PageRequest page) {
        requireProvisioning();
        List<String> after = page.after("integrations", 1);
        List<IntegrationClient> rows = directory.integrationClients(tenantContext.require()).stream()
                .filter(c -> after == null || c.clientId().compareTo(after.get(0)) > 0)
                .sorted(Comparator.comparing(IntegrationClient::clientId))
                .limit(page.fetchSize())
                .toList();
        return page.page(rows, "integrations", c -> List.of(c.clientId()));
    }

    /**
     * Deletes one of the tenant's clients. Deletes of the same client at once are answered as if each came alone
     * (one 204, the rest 404): the client id's lock, held by the deleting transaction on every node, makes the
     * second wait for the first and then find nothing. Without it Keycloak answered the losers 500 (two deletes of
     * one client in its database at once), which became 502.
     *
     * <p>The tokens the client already holds stop working at once, on every node: the revocation is written and
     * announced in the same transaction, after Keycloak removed the client (so every token of it was issued
     * before), and commits before the answer. The lock already went to the database, so an unreachable one fails
     * the delete before Keycloak is touched; only a commit failing after the removal leaves the client's tokens to
     * their expiry, as before revocations.
     */
    public void delete(String clientId) {
        requireProvisioning();
        TenantId tenant = tenantContext.require();
        boolean deleted = QuarkusTransaction.requiringNew().call(() -> {
            nameLocks.lock("integration-client", tenant, clientId);
            boolean removed = directory.deleteIntegrationClient(tenant, clientId);
            if (removed) {
                revocations.revoke(tenant, clientId);
            }
            return removed;
        });
        if (!deleted) {
            throw ProblemException.notFound("No integration client '" + clientId + "'");
        }
    }

    /**
     * Refuses with 404 {@code identity-provisioning-disabled} when Keycloak provisioning is off: what every
     * integration endpoint answers then, before it reads its request (a body that could never be used is not worth
     * a 400).
     */
    public void requireProvisioning() {
        if (!config.provisioning().enabled()) {
            // A feature switched off is not a server failure (5xx): the resource does not exist here.
            throw new ProblemException(Problem.of(
                            404,
                            "identity-provisioning-disabled",
                            "Feature disabled",
                            "Integration clients live in Keycloak; this platform runs without Keycloak "
                                    + "provisioning (TENANTML_KEYCLOAK_PROVISIONING). Use API keys with the "
                                    + "integration role instead.")
                    .with("feature", "keycloak-provisioning"));
        }
    }
}
