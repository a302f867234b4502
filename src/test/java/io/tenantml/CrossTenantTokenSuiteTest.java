package io.tenantml;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tenantml.testing.Api;
import io.tenantml.testing.KeycloakProfile;
import io.tenantml.testing.KeycloakTokens;
import io.tenantml.testing.KeycloakTokens.TenantIdentity;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OpenAPI-driven cross-tenant suite again, with Keycloak: the attacker is a tenant onboarded with an
 * integration client and an admin user, and attacks with their access tokens as well as its API keys.
 */
@QuarkusTest
@TestProfile(KeycloakProfile.class)
public class CrossTenantTokenSuiteTest extends CrossTenantSuiteTest {

    @Override
    protected Setup setUp() throws Exception {
        Setup keys = super.setUp();
        TenantIdentity attacker = KeycloakTokens.onboard(Api.uniqueTenant("attacker"));
        Map<String, String> samples = new LinkedHashMap<>(keys.victimSamples());
        // The victim was onboarded with provisioning on, so it has an integration client to aim at.
        samples.put("clientId", "tenant." + keys.victim() + ".integration");
        Map<String, String> credentials = new LinkedHashMap<>(keys.attackerCredentials());
        credentials.put("attacker admin token", attacker.adminToken());
        credentials.put("attacker integration token", attacker.integrationToken());
        return new Setup(keys.victim(), samples, credentials);
    }
}
