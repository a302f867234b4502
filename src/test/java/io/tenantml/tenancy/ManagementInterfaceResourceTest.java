package io.tenantml.tenancy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.serving.ServingMetrics;
import io.tenantml.testing.Api;
import jakarta.inject.Inject;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * Health and metrics are served on the management interface only (issue 15, acceptance 2): metrics name
 * every tenant and model, so the API port has no {@code /q/metrics}; a tenant's series leave the scrape
 * when it is offboarded; readiness names no tenant and no file.
 */
@QuarkusTest
class ManagementInterfaceResourceTest {

    // A management URL's root is already /q: these are /q/metrics and /q/health/ready on that port.
    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Inject
    ServingMetrics servingMetrics;

    @Test
    void shouldAnswer404ForMetricsOnTheApiPort() {
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(404);
        assertThat(metrics.getPort()).isNotEqualTo(io.restassured.RestAssured.port);
    }

    @Test
    void shouldServeMetricsAndHealthOnTheManagementPort() {
        assertThat(given().get(metrics.toString()).statusCode())
                .as(metrics.toString())
                .isEqualTo(200);
        assertThat(given().get(ready.toString()).statusCode())
                .as(ready.toString())
                .isEqualTo(200);
    }

    @Test
    void shouldRemoveAnOffboardedTenantsSeriesFromTheScrape() {
        String tenant = Api.uniqueTenant("leaving");
        Api.createTenant(tenant);
        servingMetrics.predicted(tenant, "churn", 3, 1_000_000);
        servingMetrics.cacheMiss(tenant, "churn");
        assertThat(given().get(metrics.toString()).asString()).contains("tenant=\"" + tenant + "\"");

        Api.asOperator().delete("/api/v1/tenants/" + tenant).then().statusCode(204);

        assertThat(given().get(metrics.toString()).asString()).doesNotContain(tenant);
        // Counting again after the offboarding registers fresh meters rather than writing into removed ones.
        servingMetrics.predicted(tenant, "churn", 1, 1_000_000);
        assertThat(servingMetrics.count(ServingMetrics.PREDICTIONS, tenant, "churn"))
                .isEqualTo(1.0);
    }

    @Test
    void shouldNameNoTenantAndNoFileInReadiness() {
        // The test manifests apply tenant 'demo' and include a broken one under broken/tenant.yaml.
        String body =
                given().get(ready.toString()).then().statusCode(200).extract().asString();
        assertThat(body).contains("tenant-manifests").doesNotContain("demo").doesNotContain("tenant.yaml");
        assertThat(body).doesNotContain("/");
    }
}
