package io.tenantml.serving;

import static io.tenantml.serving.ServingFixtures.base;
import static io.tenantml.serving.ServingFixtures.penguin;
import static io.tenantml.serving.ServingFixtures.predict;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tenantml.testing.Api;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ModelPromotionResourceTest {

    private static void moveAlias(String tenant, String admin, String alias, int version) {
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("version", version))
                .put(base(tenant) + "/models/species/aliases/" + alias)
                .then()
                .statusCode(200);
    }

    @Test
    void shouldAnswer409BeforePromotionAndUseEachNewAliasTargetOnTheNextRequest() {
        String tenant = Api.uniqueTenant("promo");
        String admin = Api.createTenant(tenant);
        String integration = Api.createKey(tenant, admin, "integration");
        ServingFixtures.upload(tenant, admin, "penguins", "penguins.json");
        ServingFixtures.putModel(tenant, admin, "species", ServingFixtures.PENGUINS, false);
        Map<String, Object> request = Map.of("records", List.of(penguin()));

        predict(tenant, integration, "nothing", request).then().statusCode(404);
        // Declared but never trained, then trained without promotion: no production version either way.
        predict(tenant, integration, "species", request).then().statusCode(409);
        ServingFixtures.train(tenant, admin, "species");
        predict(tenant, integration, "species", request).then().statusCode(409).body("alias", equalTo("production"));

        moveAlias(tenant, admin, "production", 1);
        predict(tenant, integration, "species", request).then().statusCode(200).body("version", equalTo(1));

        // A second version with other parameters: registered but not promoted, so production stays on 1.
        Map<String, Object> spec = new HashMap<>(ServingFixtures.PENGUINS);
        spec.put("params", Map.of("numRounds", 3, "seed", ServingFixtures.SEED));
        // three rounds lose to the champion's twenty on the rows it did not train on; this test is about aliases,
        // so the gate asks only that version 2 beats its baseline (macroF1 lies in [0, 1])
        spec.put("gate", Map.of("minImprovement", -1));
        ServingFixtures.putModel(tenant, admin, "species", spec, false);
        ServingFixtures.train(tenant, admin, "species");
        predict(tenant, integration, "species", request).then().statusCode(200).body("version", equalTo(1));

        moveAlias(tenant, admin, "production", 2);
        predict(tenant, integration, "species", request).then().statusCode(200).body("version", equalTo(2));

        // Rollback is an alias move too; and any alias or an explicit version can be asked for.
        moveAlias(tenant, admin, "production", 1);
        predict(tenant, integration, "species", request).then().statusCode(200).body("version", equalTo(1));
        moveAlias(tenant, admin, "challenger", 2);
        predict(tenant, integration, "species", Map.of("records", List.of(penguin()), "alias", "challenger"))
                .then()
                .statusCode(200)
                .body("version", equalTo(2));
        predict(tenant, integration, "species", Map.of("records", List.of(penguin()), "version", 2))
                .then()
                .statusCode(200)
                .body("version", equalTo(2));
        predict(tenant, integration, "species", Map.of("records", List.of(penguin()), "alias", "shadow"))
                .then()
                .statusCode(409)
                .body("alias", equalTo("shadow"));
    }
}
