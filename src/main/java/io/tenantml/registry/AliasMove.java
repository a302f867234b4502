package io.tenantml.registry;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Body of {@code PUT /models/{m}/aliases/{alias}}. */
public record AliasMove(
        @NotNull @Min(1) Integer version, @Size(max = 400) String reason) {}
