package io.tenantml.monitoring;

import java.time.Instant;

/**
 * A model's monitoring settings as they are applied.
 *
 * @param drift the thresholds its windows and drift checks are judged with
 * @param defaults the platform's defaults, for comparison (what a model that set nothing gets)
 * @param updatedAt when the tenant last set them; null while the model uses the defaults
 */
public record MonitoringSettingsView(
        String model, DriftRuleSettings drift, DriftRuleSettings defaults, Instant updatedAt) {}
