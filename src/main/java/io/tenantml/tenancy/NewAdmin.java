package io.tenantml.tenancy;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The tenant's first human administrator, created by an identity provisioner (Keycloak) at onboarding; the
 * provisioner checks the values (a platform without one ignores them).
 */
@Schema(description = "The first human administrator Keycloak provisioning creates for the tenant")
public record NewAdmin(
        @Schema(description = "Login name: lower-case letters, digits, '.', '_' or '-'", required = true)
        String username,

        @Schema(description = "E-mail address (optional)") String email) {}
