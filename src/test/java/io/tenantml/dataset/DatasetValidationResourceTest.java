package io.tenantml.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DatasetValidationResourceTest {

    @Test
    void shouldReportTheKnownProblemsOfMoviesPerColumnWithExampleLines() {
        String tenant = Api.uniqueTenant("movies");
        String admin = Api.createTenant(tenant);
        JsonPath body = Fixtures.upload(tenant, admin, "movies", "application/json", Fixtures.resource("movies.json"))
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        assertThat(body.getLong("rows")).isEqualTo(3201);
        assertThat(body.getString("validation.status")).isEqualTo("warnings");

        // Nine titles are JSON numbers (record 22 is the film "1776", 23 is "1941"): wrong type, kept as text.
        Map<String, Object> title = anomaly(body, "Title", "type");
        assertThat(title).containsEntry("severity", "warning").containsEntry("count", 9);
        assertThat(examples(title))
                .startsWith(Map.of("line", 22, "value", "1776"), Map.of("line", 23, "value", "1941"));

        // Two-digit years parsed into the future by whoever made the file: 16 release dates after 2026
        // (2027..2046), the first at record 10 ("Dec 31 2046").
        Map<String, Object> future = anomaly(body, "Release Date", "future-timestamp");
        assertThat(future).containsEntry("severity", "warning").containsEntry("count", 16);
        assertThat(examples(future).get(0)).isEqualTo(Map.of("line", 10, "value", "Dec 31 2046"));

        // Missing values, counted with a script over movies.json.
        assertThat(anomaly(body, "US DVD Sales", "completeness"))
                .containsEntry("count", 2637)
                .containsEntry("severity", "warning");
        assertThat(anomaly(body, "Running Time min", "completeness")).containsEntry("count", 1992);
        assertThat(anomaly(body, "Director", "completeness")).containsEntry("count", 1331);
        assertThat(anomaly(body, "Rotten Tomatoes Rating", "completeness")).containsEntry("count", 880);
        assertThat(anomaly(body, "IMDB Rating", "completeness")).containsEntry("count", 213);
        assertThat(anomaly(body, "Title", "completeness"))
                .containsEntry("count", 1)
                .containsEntry("severity", "info");

        // Heavy tails: the largest worldwide gross (Avatar, record 1235) is a robust outlier.
        assertThat(examples(anomaly(body, "Worldwide Gross", "outlier")).get(0))
                .isEqualTo(Map.of("line", 1235, "value", "2767891499"));
        // The longest film (222 min, record 401) is beyond Q3 + 3 IQR of running times.
        assertThat(examples(anomaly(body, "Running Time min", "outlier")))
                .contains(Map.of("line", 401, "value", "222"));

        // Ratings stay within their scales: declaring them adds no range anomalies and quarantines nothing.
        Map<String, Object> imdb = body.<Map<String, Object>>getList("profile.columns").stream()
                .filter(c -> c.get("name").equals("IMDB Rating"))
                .findFirst()
                .orElseThrow();
        assertThat(((Number) imdb.get("min")).doubleValue()).isCloseTo(1.4, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(((Number) imdb.get("max")).doubleValue()).isCloseTo(9.2, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(body.getLong("quarantinedRows")).isZero();
    }

    @Test
    void shouldQuarantineInvalidRowsAndServeThemWithLinesAndReasons() {
        String tenant = Api.uniqueTenant("quar");
        String admin = Api.createTenant(tenant);
        Api.as(admin)
                .contentType("application/json")
                .body("""
                {"description": "scores", "schema": {"columns": [
                    {"name": "id", "type": "integer", "nullable": false},
                    {"name": "grade", "type": "categorical", "allowedValues": ["a", "b"]},
                    {"name": "score", "type": "numeric", "min": 0, "max": 1}], "primaryKey": "id"},
                 "policy": {"maxInvalidRowFraction": 0.5}}""")
                .put(Fixtures.datasetPath(tenant, "s"))
                .then()
                .statusCode(201)
                .body("schemaSource", equalTo("declared"));
        String csv = "id,grade,score\n1,a,0.5\n2,c,0.4\n3,b,1.5\n1,a,0.1\n,b,0.2\n6,b,0.3\n7,a,0.9\n8,b,0.8\n";
        JsonPath body = Api.as(admin)
                .contentType("text/csv")
                .body(csv.getBytes(StandardCharsets.UTF_8))
                .post(Fixtures.datasetPath(tenant, "s") + "/versions")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        assertThat(body.getLong("rows")).isEqualTo(4);
        assertThat(body.getLong("quarantinedRows")).isEqualTo(4);
        assertThat(anomaly(body, "grade", "allowed-values"))
                .containsEntry("severity", "error")
                .containsEntry("count", 1);
        assertThat(anomaly(body, "score", "range")).containsEntry("count", 1);
        assertThat(anomaly(body, "id", "duplicate-key")).containsEntry("count", 1);
        assertThat(anomaly(body, "id", "not-null")).containsEntry("count", 1);
        String quarantine = Api.as(admin)
                .get(Fixtures.datasetPath(tenant, "s") + "/versions/1/quarantine")
                .then()
                .statusCode(200)
                .contentType("application/x-ndjson")
                .extract()
                .asString();
        List<JsonPath> lines = quarantine.lines().map(JsonPath::from).toList();
        assertThat(lines).extracting(l -> l.getInt("line")).containsExactly(3, 4, 5, 6);
        assertThat(lines.get(0).getString("reasons[0].check")).isEqualTo("allowed-values");
        assertThat(lines.get(1).getString("values.score")).isEqualTo("1.5");
        assertThat(lines.get(2).getString("reasons[0].check")).isEqualTo("duplicate-key");

        // reject: any invalid row refuses the upload
        Api.as(admin)
                .contentType("application/json")
                .body("{\"policy\": {\"onInvalidRows\": \"reject\"}}")
                .put(Fixtures.datasetPath(tenant, "s"))
                .then()
                .statusCode(200);
        Api.as(admin)
                .contentType("text/csv")
                .body("id,grade,score\n1,a,0.5\n2,z,0.5\n")
                .post(Fixtures.datasetPath(tenant, "s") + "/versions")
                .then()
                .statusCode(422)
                .body("validation.anomalies[0].check", equalTo("allowed-values"));
        Api.as(admin).get(Fixtures.datasetPath(tenant, "s")).then().body("versionCount", equalTo(1));
    }

    @Test
    void shouldRefuseAnUploadWithoutAValidRowAndKeepTheDatasetAsItWas() {
        String tenant = Api.uniqueTenant("empty");
        String admin = Api.createTenant(tenant);
        String dataset = Fixtures.datasetPath(tenant, "s");
        // a header alone on a new dataset: no dataset is made (its columns would all have been typed text)
        Response headerOnly = Fixtures.upload(tenant, admin, "s", "text/csv", bytes("id,score\n"));
        assertThat(headerOnly.statusCode()).as(headerOnly.asString()).isEqualTo(422);
        assertThat(headerOnly.<String>path("type")).endsWith("/empty-upload");
        assertThat(headerOnly.<String>path("detail")).contains("no rows");
        Api.as(admin).get(dataset).then().statusCode(404);

        assertThat(Fixtures.uploadVersion(tenant, admin, "s", "text/csv", bytes("id,score\n1,0.5\n2,0.25\n")))
                .isEqualTo(1);
        Api.as(admin)
                .contentType("application/json")
                .body("{\"policy\": {\"maxInvalidRowFraction\": 1.0}}")
                .put(dataset)
                .then()
                .statusCode(200);
        // nothing, in each format, and rows that are all invalid even though the policy allows every one
        Map<String, byte[]> nothing = Map.of(
                "text/csv", bytes("id,score\n"),
                "application/json", bytes("[]"),
                "application/x-ndjson", bytes("\n"));
        nothing.forEach((type, body) -> {
            Response r = Fixtures.upload(tenant, admin, "s", type, body);
            assertThat(r.statusCode()).as(type + ": " + r.asString()).isEqualTo(422);
            assertThat(r.<String>path("type")).as(type).endsWith("/empty-upload");
        });
        Response invalid = Fixtures.upload(tenant, admin, "s", "text/csv", bytes("id,score\n1,high\n2,low\n"));
        assertThat(invalid.statusCode()).as(invalid.asString()).isEqualTo(422);
        assertThat(invalid.<String>path("type")).endsWith("/validation-failed");
        assertThat(invalid.<String>path("detail")).contains("2 of 2 rows are invalid", "at least one valid row");

        JsonPath after =
                Api.as(admin).get(dataset).then().statusCode(200).extract().jsonPath();
        assertThat(after.getInt("versionCount")).isEqualTo(1);
        assertThat(after.getList("schema.columns.type")).containsExactly("numeric", "numeric");
    }

    @Test
    void shouldRefuseADeclaredSchemaThatCannotHoldDataNamingTheField() {
        String tenant = Api.uniqueTenant("schemabad");
        String admin = Api.createTenant(tenant);
        String dataset = Fixtures.datasetPath(tenant, "s");
        String good = "{\"name\": \"id\", \"type\": \"integer\"}";
        // field -> the second column (or what follows the columns), each wrong in one way
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("schema.columns[1].name", "{\"name\": \" \", \"type\": \"text\"}");
        bad.put("schema.columns[1].name ", "{\"name\": \"id\", \"type\": \"text\"}");
        bad.put("schema.columns[1].min", "{\"name\": \"score\", \"type\": \"numeric\", \"min\": 2, \"max\": 1}");
        bad.put("schema.columns[1].min ", "{\"name\": \"note\", \"type\": \"text\", \"min\": 1}");
        bad.put("schema.columns[1].max", "{\"name\": \"at\", \"type\": \"timestamp\", \"max\": 1}");
        bad.put(
                "schema.columns[1].allowedValues",
                "{\"name\": \"n\", \"type\": \"numeric\", \"allowedValues\": [\"1\"]}");
        bad.put(
                "schema.columns[1].allowedValues ",
                "{\"name\": \"grade\", \"type\": \"categorical\", \"allowedValues\": []}");
        bad.put("schema.primaryKey", "{\"name\": \"x\", \"type\": \"text\"}], \"primaryKey\": \"nope\"");
        bad.put("schema.timeColumn", "{\"name\": \"x\", \"type\": \"text\"}], \"timeColumn\": \"x\"");
        bad.forEach((field, second) -> {
            String body =
                    "{\"schema\": {\"columns\": [" + good + ", " + second + (second.endsWith("\"") ? "" : "]") + "}}";
            Response r =
                    Api.as(admin).contentType("application/json").body(body).put(dataset);
            assertThat(r.statusCode()).as(field + ": " + r.asString()).isEqualTo(400);
            assertThat(r.<String>path("type")).as(field).endsWith("/invalid-schema");
            assertThat(r.<String>path("field")).as(r.asString()).isEqualTo(field.strip());
        });
        // a column without a name or a type, or none at all, is refused by the body's reading, saying which
        Map<String, String> unreadable = Map.of(
                "{\"type\": \"text\"}", "name is required",
                "{\"name\": \"x\"}", "type of 'x' is required",
                "null", "columns[1] is null");
        unreadable.forEach((second, says) -> {
            Response r = Api.as(admin)
                    .contentType("application/json")
                    .body("{\"schema\": {\"columns\": [" + good + ", " + second + "]}}")
                    .put(dataset);
            assertThat(r.statusCode()).as(second + ": " + r.asString()).isEqualTo(400);
            assertThat(r.<String>path("detail")).as(second).contains(says);
        });
        // a policy's share out of range is named under the policy, where the client wrote it
        Response policy = Api.as(admin)
                .contentType("application/json")
                .body("{\"schema\": {\"columns\": [" + good + "]}, \"policy\": {\"maxInvalidRowFraction\": 2}}")
                .put(dataset);
        assertThat(policy.statusCode()).as(policy.asString()).isEqualTo(400);
        assertThat(policy.<String>path("field")).as(policy.asString()).isEqualTo("policy.maxInvalidRowFraction");
        assertThat(policy.<String>path("detail")).contains("maxInvalidRowFraction must be within 0..1, was 2.0");
        Api.as(admin).get(dataset).then().statusCode(404);

        // the same columns, declared well, make the dataset
        Api.as(admin)
                .contentType("application/json")
                .body("{\"schema\": {\"columns\": [" + good
                        + ", {\"name\": \"grade\", \"type\": \"categorical\", \"allowedValues\": [\"a\"]},"
                        + " {\"name\": \"score\", \"type\": \"numeric\", \"min\": 0, \"max\": 1}],"
                        + " \"primaryKey\": \"id\"}}")
                .put(dataset)
                .then()
                .statusCode(201);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldWarnAboutShiftedAndChangedColumnsAgainstThePreviousVersion() {
        String tenant = Api.uniqueTenant("shift");
        String admin = Api.createTenant(tenant);
        List<String> lines = new String(Fixtures.resource("seattle-weather.csv"), StandardCharsets.UTF_8)
                .lines()
                .toList();
        String header = lines.get(0);
        String year2012 = lines.stream()
                .filter(l -> l.startsWith("2012-"))
                .collect(Collectors.joining("\n", header + "\n", "\n"));
        // The 2015 rows, exported by a newer system that renamed "wind" to "wind_speed".
        String year2015 = lines.stream()
                .filter(l -> l.startsWith("2015-"))
                .collect(Collectors.joining("\n", header.replace("wind", "wind_speed") + "\n", "\n"));
        Fixtures.upload(tenant, admin, "weather", "text/csv", year2012.getBytes(StandardCharsets.UTF_8))
                .then()
                .statusCode(201)
                .body("version", equalTo(1));
        JsonPath v2 = Fixtures.upload(tenant, admin, "weather", "text/csv", year2015.getBytes(StandardCharsets.UTF_8))
                .then()
                .statusCode(201)
                .body("version", equalTo(2))
                .extract()
                .jsonPath();
        assertThat(v2.getString("validation.status")).isEqualTo("warnings");
        // Share of "fog" days went from 5/366 = 1.4% (2012) to 52/365 = 14.2% (2015): L-inf 0.129, the largest
        // change (rain 52.2% -> 39.5%, sun 32.2% -> 44.4% move less).
        Map<String, Object> shift = anomaly(v2, "weather", "distribution-shift");
        assertThat((String) shift.get("message"))
                .contains("linf")
                .contains("0.129")
                .contains("version 1");
        assertThat(anomaly(v2, "wind", "missing-column")).containsEntry("severity", "warning");
        assertThat(anomaly(v2, "wind_speed", "unexpected-column")).containsEntry("count", 365);
        // 2015 was Seattle's warm year: mean daily maximum 15.28 -> 17.43 C, a PSI of 0.32 over the 2012 bins.
        assertThat((String) anomaly(v2, "temp_max", "distribution-shift").get("message"))
                .contains("psi")
                .contains("mean 15.28 -> 17.43");
        // Precipitation is as skewed in 2015 as in 2012: no shift for it.
        assertThat(v2.<Map<String, Object>>getList("validation.anomalies"))
                .noneMatch(a -> "precipitation".equals(a.get("column")) && "distribution-shift".equals(a.get("check")));
    }

    @Test
    void shouldLetIntegrationUploadButNotDefineOrDelete() {
        String tenant = Api.uniqueTenant("roles");
        String admin = Api.createTenant(tenant);
        String integration = Api.createKey(tenant, admin, "integration");
        // Only admins define datasets (DatasetDefinitionRightsResourceTest); integrations add versions.
        Fixtures.upload(tenant, admin, "d", "text/csv", "a\n0\n".getBytes(StandardCharsets.UTF_8))
                .then()
                .statusCode(201);
        Fixtures.upload(tenant, integration, "d", "text/csv", "a\n1\n".getBytes(StandardCharsets.UTF_8))
                .then()
                .statusCode(201);
        Api.as(integration)
                .contentType("application/json")
                .body("{}")
                .put(Fixtures.datasetPath(tenant, "d"))
                .then()
                .statusCode(403);
        Api.as(integration).delete(Fixtures.datasetPath(tenant, "d")).then().statusCode(403);
        Api.as(integration)
                .get(Fixtures.datasetPath(tenant, "d") + "/versions/1")
                .then()
                .statusCode(200);
        Api.as(admin).delete(Fixtures.datasetPath(tenant, "d")).then().statusCode(204);
        Api.as(admin).get(Fixtures.datasetPath(tenant, "d")).then().statusCode(404);
    }

    static Map<String, Object> anomaly(JsonPath body, String column, String check) {
        return body.<Map<String, Object>>getList("validation.anomalies").stream()
                .filter(a -> column.equals(a.get("column")) && check.equals(a.get("check")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no " + check + " anomaly for " + column + " in " + body.getList("validation.anomalies")));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> examples(Map<String, Object> anomaly) {
        return (List<Map<String, Object>>) anomaly.get("examples");
    }
}
