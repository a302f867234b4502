package io.tenantml.testing;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.json.JsonUtil;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * Keycloak access tokens for tests (only in {@link KeycloakProfile} tests): tenants onboarded with an
 * integration client and an admin user, real tokens for them, and forged tokens signed by the realm's test
 * key. The cross-tenant suite can run with tokens by using {@link TenantIdentity#adminToken()} and
 * {@link TenantIdentity#integrationToken()} where it uses keys.
 */
public final class KeycloakTokens {

    private KeycloakTokens() {}

    /**
     * A tenant onboarded with Keycloak provisioning: its admin API key, its integration client credentials and
     * its admin user's password, as the onboarding answer returned them.
     */
    public record TenantIdentity(
            String tenant,
            String adminApiKey,
            String integrationClientId,
            String integrationSecret,
            String adminUsername,
            String adminPassword) {

        public String adminToken() {
            return password(adminUsername, adminPassword);
        }

        public String integrationToken() {
            return clientCredentials(integrationClientId, integrationSecret);
        }
    }

    /** Onboards {@code tenant} as operator, with an admin user, and returns its credentials. */
    public static TenantIdentity onboard(String tenant) {
        JsonPath answer = Api.asOperator()
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "id",
                        tenant,
                        "name",
                        tenant + " Inc",
                        "admin",
                        Map.of("username", tenant + "-admin", "email", tenant + "-admin@example.test")))
                .post("/api/v1/tenants")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new TenantIdentity(
                tenant,
                answer.getString("adminApiKey"),
                answer.getString("integration.clientId"),
                answer.getString("integration.clientSecret"),
                answer.getString("admin.username"),
                answer.getString("admin.oneTimePassword"));
    }

    public static String clientCredentials(String clientId, String secret) {
        return KeycloakServer.postForm(
                        KeycloakServer.tokenUrl(),
                        Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret))
                .get("access_token")
                .asText();
    }

    /** Password grant through the realm's public CLI client (the way a person's tool signs in). */
    public static String password(String username, String password) {
        return KeycloakServer.postForm(
                        KeycloakServer.tokenUrl(),
                        Map.of(
                                "grant_type",
                                "password",
                                "client_id",
                                KeycloakServer.CLI_CLIENT,
                                "username",
                                username,
                                "password",
                                password,
                                "scope",
                                "openid"))
                .get("access_token")
                .asText();
    }

    /** A token of the realm's platform operator (role platform-operator, no tenant). */
    public static String operator() {
        return password(KeycloakServer.OPERATOR_USER, KeycloakServer.OPERATOR_PASSWORD);
    }

    /** The claims of a token the platform accepts: change one of them to test one refusal. */
    public static Map<String, Object> validClaims(String tenant, String realmRole) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", KeycloakServer.issuer());
        claims.put("aud", "tenantml-api");
        claims.put("sub", UUID.randomUUID().toString());
        claims.put("typ", "Bearer");
        claims.put("azp", KeycloakServer.CLI_CLIENT);
        claims.put("iat", now);
        claims.put("exp", now + 300);
        claims.put("realm_access", Map.of("roles", List.of(realmRole)));
        if (tenant != null) {
            claims.put("tenant_id", tenant);
        }
        return claims;
    }

    /** Signs the claims with the realm's test key (Keycloak publishes it, so the signature verifies). */
    public static String forge(Map<String, Object> claims) {
        return sign(claims, realmTestKey(), KeycloakServer.signingKeyId());
    }

    public static String sign(Map<String, Object> claims, PrivateKey key, String keyId) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(JsonUtil.toJson(claims));
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue(keyId);
        jws.setHeader("typ", "JWT");
        jws.setKey(key);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey realmTestKey() {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(KeycloakServer.signingKey()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
