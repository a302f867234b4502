package io.tenantml.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Acceptance 4: a version the gate rejected takes an alias only after a person approved it; both are audited. */
@QuarkusTest
class ApprovalResourceTest {

    private static Map<String, Object> species(double minImprovement) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("dataset", "penguins");
        spec.put("target", "Species");
        spec.put("objective", "multiclass");
        spec.put("params", Map.of("numRounds", 10, "seed", 5));
        spec.put("gate", Map.of("metric", "accuracy", "minImprovement", minImprovement));
        return spec;
    }

    @Test
    void shouldLetAnAliasNameARejectedVersionOnlyWhileApprovedAndAuditBoth() {
        String tenant = Api.uniqueTenant("approve");
        String admin = Api.createTenant(tenant);
        String adminKeyId = Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/api-keys")
                .then()
                .statusCode(200)
                .extract()
                .path("items[0].id");
        Fixtures.uploadResource(tenant, admin, "penguins", "penguins.json");
        Fixtures.defineModel(tenant, admin, "species", species(0), true);
        assertThat(Fixtures.train(tenant, admin, "species")).isEqualTo(1);
        // accuracy cannot improve by 1.0 (it is at most 1): version 2 is rejected by its gate
        Fixtures.defineModel(tenant, admin, "species", species(1.0), true);
        Response rejected = Fixtures.awaitEnd(
                admin, Fixtures.trainingPath(tenant, Fixtures.startTraining(tenant, admin, "species")));
        assertThat(rejected.<String>path("status")).as(rejected.asString()).isEqualTo("rejected");
        String model = Fixtures.base(tenant) + "/models/species";

        moveProduction(admin, model, 2)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("version 2 of model 'species' was rejected by its gate"))
                .body("detail", containsString("not approved"));
        approve(admin, model, 1, "looks fine")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("passed its gate"));
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body("{}")
                .post(model + "/versions/2/approval")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");

        approve(admin, model, 2, "reviewed by hand: the gate's margin is unreachable")
                .then()
                .statusCode(200)
                .body("status", equalTo("rejected"))
                .body("approval.by", equalTo("admin:key:" + adminKeyId))
                .body("approval.reason", equalTo("reviewed by hand: the gate's margin is unreachable"));
        Api.as(admin)
                .get(model + "/versions/2")
                .then()
                .statusCode(200)
                .body("approval.by", equalTo("admin:key:" + adminKeyId))
                .body("approval.at", org.hamcrest.Matchers.notNullValue());
        approve(admin, model, 2, "again").then().statusCode(409);

        moveProduction(admin, model, 2).then().statusCode(200).body("aliases", equalTo(List.of("production")));
        Api.as(admin)
                .delete(model + "/versions/2/approval")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("[production]"));

        moveProduction(admin, model, 1).then().statusCode(200);
        Api.as(admin).delete(model + "/versions/2/approval").then().statusCode(204);
        Api.as(admin).get(model + "/versions/2").then().statusCode(200).body("approval", nullValue());
        moveProduction(admin, model, 2).then().statusCode(409);
        Api.as(admin).delete(model + "/versions/2/approval").then().statusCode(404);

        String audit = Fixtures.base(tenant) + "/audit";
        JsonPath approved = Api.as(admin)
                .queryParam("action", "model.version.approved")
                .get(audit)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(approved.getList("items")).hasSize(1);
        assertThat(approved.getString("items[0].actor.kind")).isEqualTo("api-key");
        assertThat(approved.getString("items[0].actor.subject")).isEqualTo("key:" + adminKeyId);
        assertThat(approved.getString("items[0].actor.role")).isEqualTo("admin");
        assertThat(approved.getString("items[0].target")).isEqualTo("model=species, version=2");
        assertThat(approved.getString("items[0].summary.reason"))
                .isEqualTo("reviewed by hand: the gate's margin is unreachable");
        assertThat(approved.getString("items[0].requestId")).isNotBlank();
        Api.as(admin)
                .queryParam("action", "model.version.approval-revoked")
                .get(audit)
                .then()
                .body("items.size()", equalTo(1))
                .body("items[0].summary.approvedBy", equalTo("admin:key:" + adminKeyId));
        // newest first: to 1 (by hand), to 2 (by hand, approved), to 1 (auto-promotion by the training run);
        // the refused moves left nothing
        JsonPath moves = Api.as(admin)
                .queryParam("action", "model.alias.moved")
                .get(audit)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(moves.getList("items.summary.to")).containsExactly("1", "2", "1");
        assertThat(moves.getList("items.actor.kind")).containsExactly("api-key", "api-key", "system");
        assertThat(moves.getString("items[2].actor.subject")).isEqualTo("auto-promotion");
        // explicit entries are the request's only ones: the request filter added none beside them
        Api.as(admin)
                .queryParam("action", "POST /api/v1/tenants/{tenant}/models/{model}/versions/{version}/approval")
                .get(audit)
                .then()
                .body("items.size()", equalTo(0));
        // trainings started are recorded in their start's transaction, with how they were started
        Api.as(admin)
                .queryParam("action", "training.started")
                .get(audit)
                .then()
                .body("items.size()", equalTo(2))
                .body("items[0].summary.trigger", equalTo("api"))
                .body("items[0].summary.dataset", equalTo("penguins"))
                .body("items[0].actor.subject", equalTo("key:" + adminKeyId));
        Api.as(admin).get(audit + "/verify").then().statusCode(200).body("intact", equalTo(true));
    }

    private static Response approve(String admin, String model, int version, String reason) {
        return Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("reason", reason))
                .post(model + "/versions/" + version + "/approval");
    }

    private static Response moveProduction(String admin, String model, int version) {
        return Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("version", version))
                .put(model + "/aliases/production");
    }
}
