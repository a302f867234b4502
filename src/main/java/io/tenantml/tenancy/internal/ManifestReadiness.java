package io.tenantml.tenancy.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the manifests in the readiness data, as counts only. A broken manifest does not make the node
 * unready: one tenant's typo must not take every other tenant offline. Which tenants and files are
 * concerned is written to the log at start, never here: readiness is scraped by infrastructure that is
 * not a tenant, and must not name tenants or paths of the data directory.
 */
@Readiness
@ApplicationScoped
class ManifestReadiness implements HealthCheck {

    @Inject
    TenantManifests manifests;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("tenant-manifests")
                .up()
                .withData("applied", manifests.applied().size())
                .withData("errors", manifests.errors().size())
                .build();
    }
}
