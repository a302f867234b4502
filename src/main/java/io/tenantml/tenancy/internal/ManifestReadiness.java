package io.tenantml.tenancy.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the manifests in the readiness data. A broken manifest does not make the node unready: one
 * tenant's typo must not take every other tenant offline; it is surfaced here and in the log instead.
 */
@Readiness
@ApplicationScoped
class ManifestReadiness implements HealthCheck {

    @Inject
    TenantManifests manifests;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("tenant-manifests")
                .up()
                .withData("applied", String.join(",", manifests.applied()))
                .withData("errors", manifests.errors().size());
        int i = 0;
        for (TenantManifests.ManifestError error : manifests.errors()) {
            builder.withData("error." + i++, error.toString());
        }
        return builder.build();
    }
}
