package io.tenantml.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobStore;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Tenant B's keys can neither see nor change tenant A's datasets, by A's paths or by names under B's own. */
@QuarkusTest
class DatasetCrossTenantResourceTest {

    @Inject
    BlobStore blobs;

    @Inject
    DatasetReader reader;

    @Inject
    TenantScope scope;

    @Test
    void shouldAnswer403Or404ToAnotherTenantsKeysOnEveryDatasetEndpointAndChangeNothing() throws IOException {
        String a = Api.uniqueTenant("owner");
        String adminA = Api.createTenant(a);
        String b = Api.uniqueTenant("other");
        String adminB = Api.createTenant(b);
        String integrationB = Api.createKey(b, adminB, "integration");
        Api.as(adminA)
                .contentType("application/json")
                .body("""
                {"schema": {"columns": [{"name": "x", "type": "numeric", "max": 10}]}, "policy": {"maxInvalidRowFraction": 0.5}}""")
                .put(Fixtures.datasetPath(a, "secret"))
                .then()
                .statusCode(201);
        String sha = Fixtures.upload(a, adminA, "secret", "text/csv", "x\n1\n2\n99\n".getBytes(StandardCharsets.UTF_8))
                .then()
                .statusCode(201)
                .body("quarantinedRows", equalTo(1))
                .extract()
                .path("sha256");

        String base = Fixtures.datasetPath(a, "secret");
        List<Function<String, Response>> calls = List.of(
                key -> Api.as(key).get("/api/v1/tenants/" + a + "/datasets"),
                key -> Api.as(key).get(base),
                key -> Api.as(key).get(base + "/versions"),
                key -> Api.as(key).get(base + "/versions/1"),
                key -> Api.as(key).accept("text/csv").get(base + "/versions/1/rows"),
                key -> Api.as(key).accept("application/x-ndjson").get(base + "/versions/1/rows"),
                key -> Api.as(key).get(base + "/versions/1/quarantine"),
                key -> Api.as(key)
                        .contentType("application/json")
                        .body("{\"description\": \"pwned\"}")
                        .put(base),
                key -> Api.as(key).contentType("application/json").body("{}").put(Fixtures.datasetPath(a, "planted")),
                key -> Api.as(key).contentType("text/csv").body("x\n5\n").post(base + "/versions"),
                key -> Api.as(key)
                        .contentType("text/csv")
                        .body("x\n5\n")
                        .post(Fixtures.datasetPath(a, "planted") + "/versions"),
                key -> Api.as(key).delete(base));
        for (String key : List.of(adminB, integrationB)) {
            for (int i = 0; i < calls.size(); i++) {
                int status = calls.get(i).apply(key).statusCode();
                assertThat(status)
                        .as("call %d with %s key", i, key == adminB ? "admin" : "integration")
                        .isIn(403, 404);
            }
            // The same names under B's own path are simply absent.
            Api.as(key).get(Fixtures.datasetPath(b, "secret")).then().statusCode(404);
            Api.as(key)
                    .get(Fixtures.datasetPath(b, "secret") + "/versions/1")
                    .then()
                    .statusCode(404);
            Api.as(key)
                    .accept("text/csv")
                    .get(Fixtures.datasetPath(b, "secret") + "/versions/1/rows")
                    .then()
                    .statusCode(404);
            Api.as(key)
                    .get(Fixtures.datasetPath(b, "secret") + "/versions/1/quarantine")
                    .then()
                    .statusCode(404);
        }
        assertThat(scope.call(new TenantId(b), () -> reader.latest("secret"))).isEmpty();
        assertThat(scope.call(new TenantId(b), () -> reader.schema("secret"))).isEmpty();

        // Nothing of A changed, nothing was planted.
        Api.as(adminA)
                .get(base)
                .then()
                .statusCode(200)
                .body("description", org.hamcrest.Matchers.nullValue())
                .body("versionCount", equalTo(1))
                .body("latestVersion.sha256", equalTo(sha));
        Api.as(adminA)
                .get("/api/v1/tenants/" + a + "/datasets")
                .then()
                .body("items.name", org.hamcrest.Matchers.contains("secret"));
        assertThat(blobs.list(new TenantId(b), "")).isEmpty();
        assertThat(scope.call(new TenantId(a), () -> reader.latest("secret"))
                        .orElseThrow()
                        .sha256())
                .isEqualTo(sha);
    }
}
