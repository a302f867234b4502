package io.tenantml;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Statuses and kinds are enums in the API description too, with the values clients see on the wire (not the
 * Java constant names), so a client generated from OpenAPI gets a closed set.
 */
@QuarkusTest
class OpenApiEnumsResourceTest {

    @Test
    void shouldDescribeStatusesAndKindsAsEnumsOfTheirWireNames() {
        JsonPath openApi = RestAssured.given()
                .accept("application/json")
                .get("/q/openapi?format=json")
                .jsonPath();
        Map<String, List<String>> expected = Map.ofEntries(
                Map.entry("VersionStatus", List.of("accepted", "rejected")),
                Map.entry("SchemaSource", List.of("declared", "inferred")),
                Map.entry("ValidationStatus", List.of("passed", "warnings", "failed")),
                Map.entry("TenantSource", List.of("api", "manifest")),
                Map.entry("PredictionWarningKind", List.of("missing-feature", "unseen-category", "unknown-field")),
                Map.entry("DatasetFormat", List.of("csv", "ndjson", "json")),
                Map.entry("DeliveryStatus", List.of("pending", "delivered", "failed")),
                Map.entry(
                        "EventType",
                        List.of(
                                "training.succeeded",
                                "training.rejected",
                                "training.failed",
                                "model.promoted",
                                "model.rolled_back",
                                "monitoring.drift",
                                "monitoring.skew",
                                "monitoring.performance",
                                "monitoring.volume",
                                "monitoring.recovered",
                                "quota.exceeded",
                                "api_key.expiring",
                                "test")),
                Map.entry("FeatureDriftStatus", List.of("ok", "warning", "drift", "insufficient-data")),
                Map.entry("MonitoringSignal", List.of("features", "prediction", "skew", "dataset", "performance")),
                Map.entry("TenantStatus", List.of("active", "leaving")),
                Map.entry("RuleStatus", List.of("firing", "clear")),
                Map.entry("FiringKind", List.of("fired", "recovered", "alert", "retrain", "suppressed")),
                Map.entry("TrainingTrigger", List.of("api", "schedule", "manifest", "rule")),
                Map.entry("MonitoringRunTrigger", List.of("manual", "schedule")),
                Map.entry("BuildTrigger", List.of("api", "schedule", "manifest")),
                Map.entry("ActorKind", List.of("api-key", "oidc", "bootstrap", "system")),
                Map.entry("ActorRole", List.of("operator", "admin", "integration", "system")),
                Map.entry("ChainBreak", List.of("content", "link", "gap")),
                Map.entry(
                        "MeterUnit",
                        List.of(
                                "records",
                                "rows",
                                "bytes",
                                "GB",
                                "cpu-seconds",
                                "seconds",
                                "byte-days",
                                "GB-days",
                                "queries",
                                "calls",
                                "deliveries")),
                Map.entry("BuildPhase", List.of("reading", "embedding", "evaluating", "indexing", "done")),
                Map.entry("VersionSource", List.of("prediction-feedback")));
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            assertThat(openApi.getList("components.schemas." + e.getKey() + ".enum", String.class))
                    .as(e.getKey())
                    .containsExactlyElementsOf(e.getValue());
        }
        assertThat(openApi.getString("components.schemas.ModelVersionView.properties.status.$ref"))
                .endsWith("/VersionStatus");
        assertThat(openApi.getString("components.schemas.Tenant.properties.source.$ref"))
                .endsWith("/TenantSource");
        assertThat(openApi.getString("components.schemas.Tenant.properties.status.$ref"))
                .endsWith("/TenantStatus");
        assertThat(openApi.getString("components.schemas.RuleStateView.properties.status.$ref"))
                .endsWith("/RuleStatus");
        assertThat(openApi.getString("components.schemas.Firing.properties.kind.$ref"))
                .endsWith("/FiringKind");
        assertThat(openApi.getString("components.schemas.TrainingView.properties.trigger.$ref"))
                .endsWith("/TrainingTrigger");
        assertThat(openApi.getString("components.schemas.MonitoringRunView.properties.trigger.$ref"))
                .endsWith("/MonitoringRunTrigger");
        assertThat(openApi.getString("components.schemas.BuildView.properties.trigger.$ref"))
                .endsWith("/BuildTrigger");
        assertThat(openApi.getString("components.schemas.Actor.properties.kind.$ref"))
                .endsWith("/ActorKind");
        assertThat(openApi.getString("components.schemas.Actor.properties.role.$ref"))
                .endsWith("/ActorRole");
        assertThat(openApi.getString("components.schemas.BrokenEntry.properties.problem.$ref"))
                .endsWith("/ChainBreak");
        // usage rows always have a meter; a cost row has one only when grouped by meter (nullable: anyOf)
        assertThat(openApi.getString("components.schemas.UsageRow.properties.meter.$ref"))
                .endsWith("/Meter");
        assertThat(openApi.getString("components.schemas.UsageRow.properties.unit.$ref"))
                .endsWith("/MeterUnit");
        assertThat(openApi.getString("components.schemas.CostRow.properties.meter.anyOf[0].$ref"))
                .endsWith("/Meter");
        assertThat(openApi.getString("components.schemas.CostRow.properties.billingUnit.anyOf[0].$ref"))
                .endsWith("/MeterUnit");
        assertThat(openApi.getString("components.schemas.BuildView.properties.phase.$ref"))
                .endsWith("/BuildPhase");
        // an endpoint's subscriptions and a delivery's event are event types too
        assertThat(openApi.getString("components.schemas.WebhookView.properties.events.items.$ref"))
                .endsWith("/EventType");
        assertThat(openApi.getString("components.schemas.CreatedWebhook.properties.events.items.$ref"))
                .endsWith("/EventType");
        assertThat(openApi.getString("components.schemas.DeliveryView.properties.eventType.$ref"))
                .endsWith("/EventType");
        assertThat(openApi.getString("components.schemas.VersionProvenance.properties.source.$ref"))
                .endsWith("/VersionSource");
        assertThat(openApi.getString("components.schemas.EventView.properties.type.$ref"))
                .endsWith("/EventType");
        // the feed's type filter is a list of the same enum, so a generated client offers only known types
        assertThat(openApi.getString("paths.'/api/v1/tenants/{tenant}/events'.get.parameters.find { it.name == 'type' }"
                        + ".schema.items.$ref"))
                .endsWith("/EventType");
        // a monitoring series: its points' status, and the signal asked for (a query parameter)
        assertThat(openApi.getString("components.schemas.MonitoringSeriesPoint.properties.status.$ref"))
                .endsWith("/FeatureDriftStatus");
        String signal = "paths.'/api/v1/tenants/{tenant}/models/{model}/monitoring/series'.get.parameters"
                + ".find { it.name == 'signal' }";
        assertThat(openApi.getString(signal + ".schema.$ref")).endsWith("/MonitoringSignal");
        assertThat(openApi.<Boolean>get(signal + ".required"))
                .as("signal required")
                .isTrue();
    }
}
