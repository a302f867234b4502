package io.tenantml.identity;

import io.tenantml.testing.KeycloakServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Test-only: stops (or freezes) the Keycloak server right after a chosen provisioning step of a chosen tenant, so
 * an outage (or a hang) hits onboarding at a known point. Inert unless armed.
 */
@ApplicationScoped
public class KeycloakKillSwitch {

    private static volatile String armedTenant;
    private static volatile String armedStep;
    private static volatile Runnable armedAction;

    /** Stops Keycloak (SIGTERM) after {@code step} of {@code tenant}'s provisioning. */
    public static void arm(String tenant, String step) {
        arm(tenant, step, KeycloakServer::stop);
    }

    /** Freezes Keycloak (SIGSTOP) after {@code step}: it accepts connections but answers nothing until thawed. */
    public static void armFreeze(String tenant, String step) {
        arm(tenant, step, KeycloakServer::freeze);
    }

    private static void arm(String tenant, String step, Runnable action) {
        armedAction = action;
        armedStep = step;
        armedTenant = tenant;
    }

    void onStep(@Observes ProvisioningProgress progress) {
        if (progress.tenant().value().equals(armedTenant) && progress.step().equals(armedStep)) {
            armedTenant = null;
            armedAction.run();
        }
    }
}
