package io.tenantml.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tenantml.shared.TenantId;
import io.tenantml.statistics.ColumnSketch;
import io.tenantml.statistics.TableSketch;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DatasetResourceTest {

    @Inject
    DatasetReader reader;

    @Inject
    TenantScope scope;

    @Test
    void shouldInferAndFreezeSchemaOnFirstUploadOfDatasetDefinedWithoutOne() {
        String tenant = Api.uniqueTenant("described");
        String admin = Api.createTenant(tenant);
        Api.as(admin)
                .contentType("application/json")
                .body(Map.of("description", "defined before any data"))
                .put("/api/v1/tenants/" + tenant + "/datasets/later")
                .then()
                .statusCode(201);

        Api.as(admin)
                .contentType("text/csv")
                .body("a,b\n1,x\n2,y\n")
                .post("/api/v1/tenants/" + tenant + "/datasets/later/versions")
                .then()
                .statusCode(201)
                .body("rows", equalTo(2))
                .body("schema.columns[0].type", equalTo("numeric"));
    }

    @Test
    void shouldInferTypesAndProfilePenguinsFromJsonAndCsv() {
        String tenant = Api.uniqueTenant("penguins");
        String admin = Api.createTenant(tenant);
        for (String[] upload : new String[][] {
            {"penguins-json", "application/json", "penguins.json"}, {"penguins-csv", "text/csv", "penguins.csv"}
        }) {
            JsonPath body = Fixtures.upload(tenant, admin, upload[0], upload[1], Fixtures.resource(upload[2]))
                    .then()
                    .statusCode(201)
                    .extract()
                    .jsonPath();
            assertThat(body.getInt("version")).isEqualTo(1);
            assertThat(body.getLong("rows")).as(upload[2]).isEqualTo(344);
            assertThat(body.getString("sha256")).hasSize(64);
            Map<String, String> types = new java.util.HashMap<>();
            for (Map<String, Object> c : body.<Map<String, Object>>getList("schema.columns")) {
                types.put((String) c.get("name"), (String) c.get("type"));
            }
            assertThat(types)
                    .containsEntry("Species", "categorical")
                    .containsEntry("Island", "categorical")
                    .containsEntry("Sex", "categorical")
                    .containsEntry("Beak Length (mm)", "numeric")
                    .containsEntry("Beak Depth (mm)", "numeric")
                    .containsEntry("Flipper Length (mm)", "numeric")
                    .containsEntry("Body Mass (g)", "numeric");
            // Counted in penguins.json with a script: 2 measurements missing per numeric column, 10 Sex nulls
            // (one more Sex is ".", a value of its own), no missing Species or Island.
            assertThat(profile(body, "Species"))
                    .containsEntry("count", 344)
                    .containsEntry("missing", 0)
                    .containsEntry("distinct", 3);
            assertThat(profile(body, "Island")).containsEntry("count", 344).containsEntry("missing", 0);
            assertThat(profile(body, "Sex"))
                    .containsEntry("count", 334)
                    .containsEntry("missing", 10)
                    .containsEntry("distinct", 3);
            assertThat(profile(body, "Body Mass (g)"))
                    .containsEntry("count", 342)
                    .containsEntry("missing", 2)
                    .containsEntry("min", 2700.0f)
                    .containsEntry("max", 6300.0f);
            assertThat(profile(body, "Beak Length (mm)"))
                    .containsEntry("count", 342)
                    .containsEntry("missing", 2);
            // Under 5% missing everywhere: completeness is reported, as info, and the upload passes.
            assertThat(body.getString("validation.status")).isEqualTo("passed");
            assertThat(body.<Map<String, Object>>getList("validation.anomalies"))
                    .anySatisfy(a -> assertThat(a)
                            .containsEntry("column", "Sex")
                            .containsEntry("check", "completeness")
                            .containsEntry("severity", "info")
                            .containsEntry("count", 10));
        }
        // Both uploads hold the same rows; read one back through the DatasetReader contract, typed.
        List<DatasetRow> rows = scope.call(new TenantId(tenant), () -> {
            try (DatasetReader.RowCursor cursor = reader.open("penguins-json", 1)) {
                List<DatasetRow> all = new ArrayList<>();
                cursor.forEachRemaining(all::add);
                return all;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(rows).hasSize(344);
        assertThat(rows.get(0).values()).containsExactly("Adelie", "Torgersen", 39.1, 18.7, 181.0, 3750.0, "MALE");
        assertThat(rows.get(3).line()).isEqualTo(4);
        assertThat(rows.get(3).values()[2]).isNull();

        String csv = Api.as(admin)
                .accept("text/csv")
                .get(Fixtures.datasetPath(tenant, "penguins-csv") + "/versions/1/rows")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(csv.lines())
                .hasSize(345)
                .first()
                .isEqualTo("Species,Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g),Sex");
        assertThat(csv.lines().skip(1).findFirst().orElseThrow()).isEqualTo("Adelie,Torgersen,39.1,18.7,181,3750,MALE");
        String ndjson = Api.as(admin)
                .accept("application/x-ndjson")
                .get(Fixtures.datasetPath(tenant, "penguins-json") + "/versions/1/rows")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(ndjson.lines()).hasSize(344);

        Api.as(admin)
                .get(Fixtures.datasetPath(tenant, "penguins-json"))
                .then()
                .statusCode(200)
                .body("schemaSource", equalTo("inferred"))
                .body("versionCount", equalTo(1));
        Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/datasets")
                .then()
                .statusCode(200)
                .body("items.name", org.hamcrest.Matchers.contains("penguins-csv", "penguins-json"));
    }

    @Test
    void shouldStoreTheColumnSketchesTheProfileWasComputedFromForThisTenantOnly() {
        String tenant = Api.uniqueTenant("sketches");
        String admin = Api.createTenant(tenant);
        String other = Api.uniqueTenant("sketches-other");
        Api.createTenant(other);
        byte[] flights = Fixtures.resource("flights-20k.json");
        JsonPath first = Fixtures.upload(tenant, admin, "flights", "application/json", flights)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        // the same rows in another order: a new version with the same counts (the same rows in the same order
        // would make none)
        Fixtures.upload(tenant, admin, "flights", "application/json", Fixtures.withTheFirstTwoRecordsSwapped(flights))
                .then()
                .statusCode(201)
                .body("version", equalTo(2));

        TableSketch v1 = scope.call(new TenantId(tenant), () -> reader.sketches("flights", 1))
                .orElseThrow();
        TableSketch v2 = scope.call(new TenantId(tenant), () -> reader.sketches("flights", 2))
                .orElseThrow();

        assertThat(v1.columnNames()).containsExactly("date", "delay", "distance", "origin", "destination");
        for (String column : v1.columnNames()) {
            ColumnSketch sketch = v1.column(column).orElseThrow();
            Map<String, Object> shown = profile(first, column);
            assertThat(sketch.count()).isEqualTo(((Number) shown.get("count")).longValue());
            assertThat(sketch.missing()).isEqualTo(((Number) shown.get("missing")).longValue());
            assertThat(sketch.distinct().estimate()).isEqualTo(((Number) shown.get("distinct")).longValue());
        }
        // The stored KLL sketch answers exactly the quantiles the profile shows: they were computed from it.
        ColumnSketch delay = v1.column("delay").orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Number> quantiles =
                (Map<String, Number>) profile(first, "delay").get("quantiles");
        assertThat(delay.quantile(0.5)).isEqualTo(quantiles.get("p50").doubleValue());
        assertThat(delay.quantile(0.99)).isEqualTo(quantiles.get("p99").doubleValue());
        assertThat(v1.column("origin").orElseThrow().hasExactValueCounts()).isTrue();

        // Two versions merge without their rows.
        v1.merge(v2);
        assertThat(v1.column("delay").orElseThrow().count()).isEqualTo(40_000);
        assertThat(v1.column("origin").orElseThrow().frequency("ORD").estimate())
                .isEqualTo(
                        2 * v2.column("origin").orElseThrow().frequency("ORD").estimate())
                .isPositive();

        assertThat(scope.call(new TenantId(other), () -> reader.sketches("flights", 1)))
                .isEmpty();
        assertThat(scope.call(new TenantId(tenant), () -> reader.sketches("flights", 3)))
                .isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> profile(JsonPath body, String column) {
        return body.<Map<String, Object>>getList("profile.columns").stream()
                .filter(c -> column.equals(c.get("name")))
                .findFirst()
                .orElseThrow();
    }
}
