package io.tenantml.identity;

import io.tenantml.testing.KeycloakServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Test-only: stops the Keycloak server right after a chosen provisioning step of a chosen tenant, so an
 * outage hits onboarding at a known point. Inert unless armed.
 */
@ApplicationScoped
public class KeycloakKillSwitch {

    private static volatile String armedTenant;
    private static volatile String armedStep;

    public static void arm(String tenant, String step) {
        armedTenant = tenant;
        armedStep = step;
    }

    void onStep(@Observes ProvisioningProgress progress) {
        if (progress.tenant().value().equals(armedTenant) && progress.step().equals(armedStep)) {
            armedTenant = null;
            KeycloakServer.stop();
        }
    }
}
