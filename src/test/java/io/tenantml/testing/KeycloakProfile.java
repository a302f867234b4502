package io.tenantml.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/**
 * The one test profile of every Keycloak-backed test: classes that share it share one application start and
 * one Keycloak start (Quarkus orders test classes by profile). Never add a second Keycloak profile: each
 * costs a Keycloak start (about 20 s, 40 s on a first build).
 */
public class KeycloakProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KeycloakTestResource.class));
    }
}
