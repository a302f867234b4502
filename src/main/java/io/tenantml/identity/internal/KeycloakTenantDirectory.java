package io.tenantml.identity.internal;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;
import io.quarkus.runtime.StartupEvent;
import io.tenantml.identity.IdentityConfig;
import io.tenantml.identity.IntegrationClient;
import io.tenantml.identity.IssuedIntegration;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.OrganizationRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * A tenant's objects in the Keycloak realm, through the admin client. Every object carries the attribute
 * {@code tenant_id}, and a tenant's objects are found by an exact search on that attribute, never by a
 * name prefix: a prefix cannot tell tenant {@code acme} from tenant {@code acme-x}, and another tenant's
 * objects could crowd a bounded prefix search.
 *
 * <p>Integration client ids are {@code tenant.<tenant>.<name>}: tenant ids and integration names never
 * contain a dot, so two (tenant, name) pairs never give the same id (with a dash as the separator, tenant
 * {@code acme}'s integration {@code x-integration} and tenant {@code acme-x}'s {@code integration} did).
 */
@ApplicationScoped
public class KeycloakTenantDirectory {

    public static final String TENANT_ATTRIBUTE = "tenant_id";
    public static final String ADMIN_ROLE = "tenant-admin";
    public static final String INTEGRATION_ROLE = "tenant-integration";
    private static final Logger LOG = Logger.getLogger(KeycloakTenantDirectory.class);
    /** Page size of searches; every page is read, so a tenant may have any number of objects. */
    static final int PAGE = 100;
    /** Separates the parts of a client id; neither a tenant id nor an integration name may contain it. */
    private static final String CLIENT_ID_SEPARATOR = ".";

    private final SecureRandom random = new SecureRandom();

    @Inject
    IdentityConfig config;

    @Inject
    Instance<Keycloak> keycloak;

    /**
     * Before the admin client's first use: every admin client (the extension makes one per request) waits at most
     * {@code tenantml.identity.provisioning.timeout} for Keycloak.
     */
    void limitAdminCalls(@Observes StartupEvent start) {
        if (config.provisioning().enabled()) {
            TimeLimitedClientProvider.install(config.provisioning().timeout());
        }
    }

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    Optional<String> authServerUrl;

    @ConfigProperty(name = "quarkus.keycloak.admin-client.server-url")
    Optional<String> adminServerUrl;

    public String createOrganization(TenantId tenant, String displayName) {
        return call("create the organization of " + tenant, () -> {
            OrganizationRepresentation org = new OrganizationRepresentation();
            org.setAlias(tenant.value());
            org.setName(tenant.value());
            org.setDescription(displayName);
            org.setEnabled(true);
            org.setAttributes(Map.of(TENANT_ATTRIBUTE, List.of(tenant.value())));
            try (Response response = realm().organizations().create(org)) {
                return CreatedResponseUtil.getCreatedId(response);
            }
        });
    }

    public IssuedIntegration createIntegrationClient(TenantId tenant, String name) {
        String clientId = clientId(tenant, name);
        String secret = secret();
        return call("create the integration client " + clientId, () -> {
            ClientRepresentation client = new ClientRepresentation();
            client.setClientId(clientId);
            client.setName(name);
            client.setDescription("TenantML integration of tenant " + tenant);
            client.setEnabled(true);
            client.setProtocol("openid-connect");
            client.setPublicClient(false);
            client.setClientAuthenticatorType("client-secret");
            client.setSecret(secret);
            client.setServiceAccountsEnabled(true);
            client.setStandardFlowEnabled(false);
            client.setImplicitFlowEnabled(false);
            client.setDirectAccessGrantsEnabled(false);
            client.setAttributes(Map.of(TENANT_ATTRIBUTE, tenant.value()));
            client.setProtocolMappers(List.of(tenantClaim(tenant), audience()));
            String uuid;
            try (Response response = realm().clients().create(client)) {
                uuid = CreatedResponseUtil.getCreatedId(response);
            }
            UserRepresentation serviceAccount = realm().clients().get(uuid).getServiceAccountUser();
            realm().users().get(serviceAccount.getId()).roles().realmLevel().add(List.of(role(INTEGRATION_ROLE)));
            return new IssuedIntegration(clientId, name, secret, tokenUrl());
        });
    }

    public List<IntegrationClient> integrationClients(TenantId tenant) {
        return call(
                "list the integration clients of " + tenant,
                () -> ownClients(tenant).stream()
                        .map(c ->
                                new IntegrationClient(c.getClientId(), c.getName(), Boolean.TRUE.equals(c.isEnabled())))
                        .toList());
    }

    /**
     * The client id of a tenant's integration: injective in (tenant, name), because neither part may
     * contain the separator (checked here, so a future relaxation of either pattern cannot break it).
     */
    static String clientId(TenantId tenant, String name) {
        if (name.contains(CLIENT_ID_SEPARATOR) || tenant.value().contains(CLIENT_ID_SEPARATOR)) {
            throw new IllegalArgumentException("integration name '" + name + "' contains '" + CLIENT_ID_SEPARATOR
                    + "', which separates the parts of a client id");
        }
        return "tenant" + CLIENT_ID_SEPARATOR + tenant.value() + CLIENT_ID_SEPARATOR + name;
    }

    /** @return false if the tenant has no such client (including when another tenant has one of that id). */
    public boolean deleteIntegrationClient(TenantId tenant, String clientId) {
        return call("delete the integration client " + clientId, () -> {
            // Exact lookup by client id, confirmed by the tenant attribute.
            Optional<ClientRepresentation> own = realm().clients().findByClientId(clientId).stream()
                    .filter(c -> clientId.equals(c.getClientId()) && owns(c, tenant))
                    .findFirst();
            return own.isPresent()
                    && deleteOnce(
                            own.get().getClientId(),
                            () -> realm().clients().get(own.get().getId()).remove(),
                            () -> realm().clients().get(own.get().getId()).toRepresentation());
        });
    }

    /**
     * Creates the tenant's first human administrator with the {@code tenant_id} attribute (which only realm
     * admins may edit, per the realm's user profile) and the tenant-admin role, as a member of the tenant's
     * organization.
     */
    public Map<String, Object> createAdmin(TenantId tenant, String organizationId, String username, String email) {
        String password = secret();
        boolean temporary = config.provisioning().temporaryAdminPassword();
        return call("create the admin user " + username, () -> {
            UserRepresentation user = new UserRepresentation();
            user.setUsername(username);
            user.setEmail(email);
            user.setEnabled(true);
            user.setAttributes(Map.of(TENANT_ATTRIBUTE, List.of(tenant.value())));
            CredentialRepresentation credential = new CredentialRepresentation();
            credential.setType(CredentialRepresentation.PASSWORD);
            credential.setValue(password);
            credential.setTemporary(temporary);
            user.setCredentials(List.of(credential));
            String userId;
            try (Response response = realm().users().create(user)) {
                userId = CreatedResponseUtil.getCreatedId(response);
            }
            realm().users().get(userId).roles().realmLevel().add(List.of(role(ADMIN_ROLE)));
            try (Response response =
                    realm().organizations().get(organizationId).members().addMember(userId)) {
                if (response.getStatusInfo().getFamily() != Response.Status.Family.SUCCESSFUL) {
                    throw new WebApplicationException(response);
                }
            }
            Map<String, Object> admin = new LinkedHashMap<>();
            admin.put("username", username);
            admin.put("oneTimePassword", password);
            admin.put("requiredActions", temporary ? List.of("UPDATE_PASSWORD") : List.of());
            return admin;
        });
    }

    /**
     * Removes every object of the tenant: clients, users, organization. Idempotent. Each kind is listed in
     * full (every page) before anything is deleted, because deleting while paging would shift the pages.
     */
    public void removeTenant(TenantId tenant) {
        call("remove the objects of " + tenant, () -> {
            List<ClientRepresentation> clients = ownClients(tenant);
            for (ClientRepresentation client : clients) {
                deleteOnce(
                        client.getClientId(),
                        () -> realm().clients().get(client.getId()).remove(),
                        () -> realm().clients().get(client.getId()).toRepresentation());
            }
            for (UserRepresentation user : ownUsers(tenant)) {
                deleteOnce(
                        user.getUsername(),
                        () -> realm().users().get(user.getId()).remove(),
                        () -> realm().users().get(user.getId()).toRepresentation());
            }
            for (OrganizationRepresentation org : ownOrganizations(tenant)) {
                deleteOnce(
                        org.getAlias(),
                        () -> realm().organizations().get(org.getId()).delete().close(),
                        () -> realm().organizations().get(org.getId()).toRepresentation());
            }
            return null;
        });
    }

    /** Where integrations get tokens: the public issuer when OIDC is configured, else the admin client's server. */
    public String tokenUrl() {
        String realmUrl = authServerUrl.orElseGet(() ->
                adminServerUrl.orElse("") + "/realms/" + config.provisioning().realm());
        return realmUrl.replaceAll("/+$", "") + "/protocol/openid-connect/token";
    }

    /**
     * The tenant's clients: a search, page after page, for client ids containing {@code tenant.<tenant>.} (our
     * ids start so, and a tenant id holds no separator, so no other tenant's id contains it), each confirmed by
     * the tenant attribute. Not Keycloak's search by attribute: for clients it answers 400 unless the attribute
     * is configured as searchable on the server, which a deployment may not do.
     */
    private List<ClientRepresentation> ownClients(TenantId tenant) {
        String prefix = "tenant" + CLIENT_ID_SEPARATOR + tenant.value() + CLIENT_ID_SEPARATOR;
        return allPages(first -> realm().clients().findAll(prefix, null, true, first, PAGE)).stream()
                .filter(c -> c.getClientId() != null && c.getClientId().startsWith(prefix))
                .filter(c -> owns(c, tenant))
                .toList();
    }

    /** Exact attribute match, full representations (the attribute is confirmed on each; brief ones carry none). */
    private List<UserRepresentation> ownUsers(TenantId tenant) {
        return allPages(first ->
                        realm().users().searchByAttributes(first, PAGE, null, true, false, attributeQuery(tenant)))
                .stream()
                .filter(u -> belongsTo(u.getAttributes(), tenant))
                .toList();
    }

    private List<OrganizationRepresentation> ownOrganizations(TenantId tenant) {
        return allPages(first -> realm().organizations().searchByAttribute(attributeQuery(tenant), first, PAGE))
                .stream()
                .filter(o ->
                        belongsTo(o.getAttributes(), tenant) || tenant.value().equals(o.getAlias()))
                .toList();
    }

    /** Reads a search page after page until one comes back short. */
    static <T> List<T> allPages(java.util.function.IntFunction<List<T>> page) {
        List<T> all = new java.util.ArrayList<>();
        for (int first = 0; ; first += PAGE) {
            List<T> items = page.apply(first);
            all.addAll(items);
            if (items.size() < PAGE) {
                return all;
            }
        }
    }

    private static String attributeQuery(TenantId tenant) {
        return TENANT_ATTRIBUTE + ":" + tenant.value();
    }

    private static boolean owns(ClientRepresentation client, TenantId tenant) {
        return client.getAttributes() != null
                && tenant.value().equals(client.getAttributes().get(TENANT_ATTRIBUTE));
    }

    private static boolean belongsTo(Map<String, List<String>> attributes, TenantId tenant) {
        return attributes != null && List.of(tenant.value()).equals(attributes.get(TENANT_ATTRIBUTE));
    }

    private RoleRepresentation role(String name) {
        return realm().roles().get(name).toRepresentation();
    }

    private RealmResource realm() {
        return keycloak.get().realm(config.provisioning().realm());
    }

    /** The tenant id is written into the integration's tokens by Keycloak, never chosen by the integration. */
    private static ProtocolMapperRepresentation tenantClaim(TenantId tenant) {
        return mapper(
                "tenant_id",
                "oidc-hardcoded-claim-mapper",
                Map.of(
                        "claim.name",
                        "tenant_id",
                        "claim.value",
                        tenant.value(),
                        "jsonType.label",
                        "String",
                        "access.token.claim",
                        "true",
                        "id.token.claim",
                        "false",
                        "introspection.token.claim",
                        "true"));
    }

    private ProtocolMapperRepresentation audience() {
        return mapper(
                "tenantml-api audience",
                "oidc-audience-mapper",
                Map.of(
                        "included.custom.audience",
                        config.audience(),
                        "access.token.claim",
                        "true",
                        "id.token.claim",
                        "false",
                        "introspection.token.claim",
                        "true"));
    }

    private static ProtocolMapperRepresentation mapper(String name, String type, Map<String, String> settings) {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName(name);
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper(type);
        mapper.setConfig(new LinkedHashMap<>(settings));
        return mapper;
    }

    /** 256 random bits, URL-safe: client secrets and one-time passwords. */
    private String secret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Deletes an object that another request may be deleting at the same moment (an offboarding, a delete of the
     * same integration sent twice, on any node). Keycloak answers the one that comes second 404, or 500 when both
     * reached its database together (an OptimisticLockException on the client's service-account user), or, for an
     * organization, 400 "organization couldn't be deleted" (its group was removed under it; CI saw two of four
     * concurrent offboardings answer 502 so): after any refusal but 404 the object is read again, and gone means
     * the other request deleted it. A refusal while the object is still there stays a failure.
     *
     * @return true if this call deleted it, false if it was gone already
     */
    static boolean deleteOnce(String name, Runnable deletion, Runnable read) {
        try {
            deletion.run();
            return true;
        } catch (WebApplicationException e) {
            int status = status(e);
            if (status == 404) {
                return false;
            }
            try {
                read.run();
            } catch (WebApplicationException readFailure) {
                if (status(readFailure) == 404) {
                    LOG.infof(
                            "Keycloak answered %d deleting %s, which another request deleted meanwhile", status, name);
                    return false;
                }
            }
            throw e;
        }
    }

    /**
     * The HTTP status of a refusal. By status, not by exception type: the reactive admin client answered a 404 with a
     * ClientWebApplicationException ("Received: 'HTTP 404 Not Found'"), which is not a NotFoundException, so the
     * second of two concurrent offboardings answered 502 for an object already gone.
     */
    private static int status(WebApplicationException e) {
        return e.getResponse() == null ? 0 : e.getResponse().getStatus();
    }

    /**
     * Runs an admin call with the caller's JTA transaction suspended, and turns Keycloak's failures into
     * problems: unreachable or not answering within the timeout is 503, a name clash is 409, anything else 502.
     * The suspension matters: the admin client is a reactive REST client, and context propagation would
     * otherwise carry the onboarding's transaction onto an event-loop thread, where a failed call leaves it
     * associated so that its rollback fails and the half-written tenant row survives on a pooled connection.
     */
    private <T> T call(String what, Supplier<T> action) {
        try {
            return QuarkusTransaction.suspendingExisting().call(() -> translated(what, action));
        } catch (QuarkusTransactionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** What a client told that Keycloak could not be reached waits before it retries. */
    static final long UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

    private <T> T translated(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (ProblemException e) {
            throw e;
        } catch (WebApplicationException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatus();
            if (status == 409) {
                throw ProblemException.conflict(
                        "identity-conflict", "Could not " + what + ": the name is taken in the identity provider");
            }
            LOG.warnf("Keycloak answered %d, could not %s: %s", status, what, e.getMessage());
            throw new ProblemException(Problem.of(
                    502,
                    "identity-provider-error",
                    "Bad gateway",
                    "The identity provider refused to " + what + " (HTTP " + status + ")"));
        } catch (RuntimeException e) {
            if (timedOut(e)) {
                LOG.warnf(
                        "Keycloak did not answer within %s, could not %s: %s",
                        config.provisioning().timeout(), what, e.getMessage());
                throw unavailable("The identity provider did not answer within "
                        + config.provisioning().timeout().toSeconds() + " s to " + what + "; retry later");
            }
            if (e instanceof ProcessingException || unreachable(e)) {
                LOG.warnf("Keycloak unreachable, could not %s: %s", what, e.getMessage());
                throw unavailable("The identity provider could not be reached to " + what + "; retry later");
            }
            throw e;
        }
    }

    private static ProblemException unavailable(String detail) {
        return ProblemException.unavailable("identity-provider-unavailable", detail, UNAVAILABLE_RETRY_AFTER_SECONDS);
    }

    /** The admin client's timeout: Vert.x fails the request with a (java.util.concurrent) TimeoutException. */
    static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException
                    || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.net.http.HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException
                    || t instanceof ProcessingException
                    || t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }
}
