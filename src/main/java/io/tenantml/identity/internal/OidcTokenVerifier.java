package io.tenantml.identity.internal;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.tenantml.identity.IdentityConfig;
import io.tenantml.security.CredentialVerifier;
import io.tenantml.security.JwtShape;
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
 * when OIDC is enabled; otherwise Keycloak is never contacted.
 */
@ApplicationScoped
public class OidcTokenVerifier implements CredentialVerifier {

    private static final Logger LOG = Logger.getLogger(OidcTokenVerifier.class);

    @Inject
    IdentityConfig config;

    @Inject
    Instance<TenantIdentityProvider> identityProvider;

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
        return TokenPrincipals.principal(
                jwt.getSubject(),
                realmRoles(jwt),
                jwt.getClaim("tenant_id") instanceof JsonString s ? s.getString() : jwt.getClaim("tenant_id"),
                jwt.getIssuedAtTime() > 0
                        ? Optional.of(Instant.ofEpochSecond(jwt.getIssuedAtTime()))
                        : Optional.empty());
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
