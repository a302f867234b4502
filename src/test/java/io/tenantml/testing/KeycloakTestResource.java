package io.tenantml.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts the real Keycloak ({@link KeycloakServer}) for {@link KeycloakProfile} and points the platform at it. */
public class KeycloakTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        KeycloakServer.ensureStarted();
        return KeycloakServer.platformConfig();
    }

    @Override
    public void stop() {
        KeycloakServer.stop();
    }
}
