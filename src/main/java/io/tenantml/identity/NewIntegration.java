package io.tenantml.identity;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** A request for another integration client; it becomes the Keycloak client {@code tenant.<tenant>.<name>}. */
public record NewIntegration(
        @NotNull @Pattern(regexp = NAME_PATTERN, message = "must match " + NAME_PATTERN)
        String name) {

    public static final String NAME_PATTERN = "^[a-z][a-z0-9-]{1,30}$";
}
