package io.tenantml.identity.internal;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.tenantml.identity.IdentityConfig;
import io.tenantml.security.CredentialVerifier;
import io.tenantml.security.JwtShape;
import io.tenantml.security.PlatformPrincipal;
import io.tenantml.security.SecurityConfig;
import io.tenantml.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Verifies Keycloak access tokens with Quarkus OIDC, called programmatically from the platform's one
 * authentication step (Quarkus' own HTTP mechanism is not used, so API keys never reach it): signature
 * against the realm's published keys, issuer, expiry and audience. Only JWT-shaped tokens are ours, and only
 * when OIDC is enabled; otherwise Keycloak is never contacted. A tenant's token issued to an integration client
 * that the platform deleted since is refused ({@link IntegrationRevocations}): Keycloak cannot recall a token it
 * issued, and a local check would otherwise accept it until it expires.
 */
@ApplicationScoped
public class OidcTokenVerifier implements CredentialVerifier {

    private static final Logger LOG = Logger.getLogger(OidcTokenVerifier.class);

    @Inject
    IdentityConfig config;

    @Inject
    Instance<TenantIdentityProvider> identityProvider;

    @Inject
    IntegrationRevocations revocations;

    @Inject
    SecurityConfig securityConfig;

    /** The claims in which Keycloak names the client a token was issued to (see {@link #revokedClient}). */
    private static final List<String> CLIENT_CLAIMS = List.of("azp", "client_id", "clientId");

    @Override
    public boolean accepts(String bearerToken) {
        return config.oidcEnabled() && JwtShape.matches(bearerToken);
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Verification verify(String token) {
        SecurityIdentity identity;
        try {
            identity = identityProvider
                    .get()
                    .authenticate(new AccessTokenCredential(token))
                    .await()
                    .atMost(config.verifyTimeout());
        } catch (RuntimeException e) {
            LOG.debugf("Access token refused: %s", e.getMessage());
            return Verification.rejected("The access token is not valid here (signature, issuer, audience or expiry)");
        }
        if (!(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Verification.rejected("The access token is not a JWT");
        }
        // Quarkus checks the audience too (quarkus.oidc.token.audience); this keeps the rule true if that
        // setting is ever lost.
        Set<String> audience = jwt.getAudience();
        if (audience == null || !audience.contains(config.audience())) {
            return Verification.rejected("The access token is not meant for " + config.audience());
        }
        Verification verification = TokenPrincipals.principal(
                jwt.getSubject(),
                realmRoles(jwt),
                jwt.getClaim("tenant_id") instanceof JsonString s ? s.getString() : jwt.getClaim("tenant_id"),
                jwt.getIssuedAtTime() > 0
                        ? Optional.of(Instant.ofEpochSecond(jwt.getIssuedAtTime()))
                        : Optional.empty());
        if (verification instanceof Verified verified
                && verified.principal().tenant().isPresent()) {
            Optional<String> refusal = revokedClient(jwt, verified.principal());
            if (refusal.isPresent()) {
                return Verification.rejected(refusal.get());
            }
        }
        return verification;
    }

    /**
     * Why the token is refused if the integration client it was issued to was deleted from its tenant through the
     * platform after it was issued. Keycloak names the client of a client-credentials token in {@code azp}, and
     * its service-account tokens also in {@code client_id} (older versions: {@code clientId}); every one of them
     * is checked, so a token naming a deleted client in any is refused. The tenant is the token's own: a client
     * id is revoked only within the tenant that deleted it.
     *
     * <p>The skew is on the refusing side, unlike the check against the tenant's creation: {@code iat} is floored
     * to the second and the provider's clock may run ahead of ours, so a token issued just before the deletion
     * may say a moment after it. The cost: a client re-created under the same id within the skew of the delete
     * has its first tokens refused, and gets working ones a few seconds later.
     */
    private Optional<String> revokedClient(JsonWebToken jwt, PlatformPrincipal principal) {
        TenantId tenant = principal.tenant().orElseThrow();
        for (String claim : CLIENT_CLAIMS) {
            String clientId = stringClaim(jwt, claim);
            if (clientId == null) {
                continue;
            }
            Optional<Instant> revokedAt = revocations.revokedAt(tenant, clientId);
            if (revokedAt.isPresent()
                    && (principal.issuedAt().isEmpty()
                            || principal
                                    .issuedAt()
                                    .get()
                                    .isBefore(revokedAt.get().plus(securityConfig.tokenClockSkew())))) {
                return Optional.of("The access token was issued to integration client '" + clientId
                        + "', which was deleted from tenant '" + tenant + "' at " + revokedAt.get()
                        + ": its tokens no longer work");
            }
        }
        return Optional.empty();
    }

    private static String stringClaim(JsonWebToken jwt, String name) {
        Object value = jwt.getClaim(name);
        if (value instanceof JsonString s) {
            return s.getString();
        }
        return value instanceof String s ? s : null;
    }

    private static List<String> realmRoles(JsonWebToken jwt) {
        Object realmAccess = jwt.getClaim("realm_access");
        if (realmAccess instanceof JsonObject object && object.get("roles") instanceof JsonArray roles) {
            return roles.stream()
                    .filter(v -> v.getValueType() == JsonValue.ValueType.STRING)
                    .map(v -> ((JsonString) v).getString())
                    .toList();
        }
        return List.of();
    }
}
