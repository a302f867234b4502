package io.tenantml.serving;

import static io.tenantml.serving.ServingFixtures.base;
import static io.tenantml.serving.ServingFixtures.penguin;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every serving endpoint called by another tenant: on the victim's paths (stopped by the filter) and on
 * the attacker's own paths naming the victim's model, batch and prediction ids (404: nothing leaks).
 */
@QuarkusTest
class ServingCrossTenantResourceTest {

    private record Call(String method, String path, Object body) {}

    @Test
    void shouldRefuseEveryServingEndpointToAnotherTenant() {
        String victim = Api.uniqueTenant("victim");
        String victimAdmin = ServingFixtures.penguinsTenant(victim);
        String victimModel = base(victim) + "/models/species";
        String predictionId = ServingFixtures.predict(
                        victim, victimAdmin, "species", Map.of("records", List.of(penguin())))
                .then()
                .statusCode(200)
                .extract()
                .path("predictions[0].id");
        String batchId = Api.as(victimAdmin)
                .contentType(ContentType.JSON)
                .body(Map.of("dataset", "penguins"))
                .post(victimModel + "/batch-predictions")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        Fixtures.awaitEnd(victimAdmin, victimModel + "/batch-predictions/" + batchId)
                .then()
                .body("status", org.hamcrest.Matchers.equalTo("succeeded"));

        String attacker = Api.uniqueTenant("attacker");
        String attackerAdmin = Api.createTenant(attacker);
        String attackerIntegration = Api.createKey(attacker, attackerAdmin, "integration");
        // The attacker even has a dataset of the same name, so only the model name could leak through.
        ServingFixtures.upload(attacker, attackerAdmin, "penguins", "penguins.json");
        String before = victimState(victimAdmin, victimModel, batchId);

        Map<String, Object> predictBody = Map.of("records", List.of(penguin()));
        List<Map<String, Object>> feedbackBody = List.of(Map.of("predictionId", predictionId, "label", "Adelie"));
        Map<String, Object> batchBody = Map.of("dataset", "penguins");
        List<Call> calls = new ArrayList<>();
        for (String model : List.of(victimModel, base(attacker) + "/models/species")) {
            calls.add(new Call("POST", model + "/predict", predictBody));
            calls.add(new Call("POST", model + "/batch-predictions", batchBody));
            calls.add(new Call("GET", model + "/batch-predictions/" + batchId, null));
            calls.add(new Call("GET", model + "/batch-predictions/" + batchId + "/results", null));
            calls.add(new Call("GET", model + "/precomputed/1", null));
        }
        calls.add(new Call("POST", victimModel + "/feedback", feedbackBody));
        calls.add(new Call("GET", victimModel + "/batch-predictions", null));

        List<String> failures = new ArrayList<>();
        for (String key : List.of(attackerAdmin, attackerIntegration)) {
            for (Call call : calls) {
                var request = Api.as(key).contentType(ContentType.JSON);
                Response r = call.body() == null
                        ? request.request(call.method(), call.path())
                        : request.body(call.body()).request(call.method(), call.path());
                if (!Set.of(403, 404).contains(r.statusCode())) {
                    failures.add(call.method() + " " + call.path() + " -> " + r.statusCode() + " " + r.asString());
                }
            }
        }
        assertThat(failures).isEmpty();
        // The attacker's own listing shows nothing of the victim's batches.
        Api.as(attackerAdmin)
                .get(base(attacker) + "/models/species/batch-predictions")
                .then()
                .statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(0));
        assertThat(victimState(victimAdmin, victimModel, batchId)).isEqualTo(before);
    }

    private static String victimState(String admin, String model, String batchId) {
        return Api.as(admin).get(model + "/batch-predictions").asString()
                + Api.as(admin).get(model + "/precomputed/1").asString()
                + Api.as(admin)
                        .get(model + "/batch-predictions/" + batchId + "/results")
                        .asString()
                        .length();
    }
}
