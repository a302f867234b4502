package io.tenantml.usage;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A tenant's plan. A {@code PUT} sets {@code limits} and is refused with {@code effective} (answers only), which is
 * what applies now, the plan's limits over the platform defaults.
 */
@Schema(description = "A tenant's plan: its named limits")
public record Plan(
        @Valid @NotNull @Schema(description = "The plan's own limits; absent ones take the platform default")
        PlanLimits limits,

        @Schema(description = "Limits in force: the plan's over the platform defaults (answers only)", readOnly = true)
        PlanLimits effective) {}
