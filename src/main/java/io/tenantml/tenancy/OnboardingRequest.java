package io.tenantml.tenancy;

import io.tenantml.shared.TenantId;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What an operator sends to onboard a tenant. {@code admin} is optional and only used by identity
 * provisioners (Keycloak) that create a human administrator.
 */
public record OnboardingRequest(
        @NotNull @Pattern(regexp = TenantId.PATTERN, message = "must match " + TenantId.PATTERN)
        String id,

        @NotBlank @Size(max = 200) String name,
        NewAdmin admin) {}
