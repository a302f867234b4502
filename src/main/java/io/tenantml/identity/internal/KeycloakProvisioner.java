package io.tenantml.identity.internal;

import io.tenantml.identity.IdentityConfig;
import io.tenantml.identity.IssuedIntegration;
import io.tenantml.identity.ProvisioningProgress;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.NewAdmin;
import io.tenantml.tenancy.OnboardingRequest;
import io.tenantml.tenancy.Tenant;
import io.tenantml.tenancy.TenantProvisioner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Gives each onboarded tenant its Keycloak objects: an organization (alias = tenant id), the integration
 * client {@code tenant.<id>.integration} and, when asked, a first admin user. Active only with
 * {@code tenantml.identity.provisioning.enabled}.
 *
 * <p>Provisioning runs only for a tenant that does not yet exist in the platform (the onboarding checks that
 * first, inside the transaction that inserts it), so whatever Keycloak already holds under that tenant id is
 * debris of an interrupted earlier attempt: it is removed first, which makes a retried onboarding complete.
 */
@ApplicationScoped
public class KeycloakProvisioner implements TenantProvisioner {

    private static final Logger LOG = Logger.getLogger(KeycloakProvisioner.class);
    private static final Pattern USERNAME = Pattern.compile("^[a-z0-9][a-z0-9._@-]{2,99}$");

    @Inject
    IdentityConfig config;

    @Inject
    KeycloakTenantDirectory directory;

    @Inject
    Event<ProvisioningProgress> progress;

    @Override
    public Map<String, Object> provision(Tenant tenant, OnboardingRequest request) {
        if (!config.provisioning().enabled()) {
            return Map.of();
        }
        TenantId id = new TenantId(tenant.id());
        NewAdmin admin = request.admin();
        if (admin != null) {
            validateAdmin(admin);
        }
        directory.removeTenant(id);
        try {
            return create(id, tenant.name(), admin);
        } catch (RuntimeException e) {
            // The platform undoes only provisioners that succeeded; this one undoes its own partial work. If
            // Keycloak itself is down that fails too, and the debris waits for the retry (see class comment).
            try {
                directory.removeTenant(id);
            } catch (RuntimeException cleanup) {
                LOG.warnf(
                        "Could not remove the partial Keycloak objects of %s now; a retried onboarding removes them",
                        id);
            }
            throw e;
        }
    }

    private Map<String, Object> create(TenantId id, String name, NewAdmin admin) {
        String organization = directory.createOrganization(id, name);
        progress.fire(new ProvisioningProgress(id, "organization"));
        IssuedIntegration integration = directory.createIntegrationClient(id, "integration");
        progress.fire(new ProvisioningProgress(id, "integration-client"));

        Map<String, Object> members = new LinkedHashMap<>();
        Map<String, Object> credentials = new LinkedHashMap<>();
        credentials.put("clientId", integration.clientId());
        credentials.put("clientSecret", integration.clientSecret());
        credentials.put("tokenUrl", integration.tokenUrl());
        members.put("integration", credentials);
        if (admin != null) {
            members.put("admin", directory.createAdmin(id, organization, admin.username(), admin.email()));
            progress.fire(new ProvisioningProgress(id, "admin-user"));
        }
        return members;
    }

    @Override
    public void deprovision(TenantId tenant) {
        if (config.provisioning().enabled()) {
            directory.removeTenant(tenant);
        }
    }

    private static void validateAdmin(NewAdmin admin) {
        String username = admin.username();
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw ProblemException.badField(
                    "invalid-admin", "admin.username", "admin.username: must match " + USERNAME.pattern());
        }
        String email = admin.email();
        if (email != null && (email.length() > 254 || !email.matches("^[^@\\s]+@[^@\\s]+$"))) {
            throw ProblemException.badField("invalid-admin", "admin.email", "admin.email: not an e-mail address");
        }
    }
}
