package io.tenantml.serving;

import static io.tenantml.serving.ServingFixtures.base;
import static io.tenantml.serving.ServingFixtures.penguin;
import static io.tenantml.serving.ServingFixtures.predict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.shared.TenantId;
import io.tenantml.testing.Api;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, "state that survives": a model deleted and created again under the same name is a new model.
 * Its versions restart at 1, so a cache keyed by (tenant, name, number) served the deleted model's booster,
 * and the precomputed lookup answered from the deleted model's batch.
 */
@QuarkusTest
class ModelIncarnationResourceTest {

    @Inject
    LoadedModels models;

    @Inject
    ModelRegistry registry;

    private static Map<String, Object> spec(int rounds) {
        Map<String, Object> spec = new HashMap<>(ServingFixtures.PENGUINS);
        spec.put("params", Map.of("numRounds", rounds, "seed", ServingFixtures.SEED));
        return spec;
    }

    private static List<Float> scores(String tenant, String key) {
        return predict(tenant, key, "species", Map.of("records", List.of(penguin())))
                .then()
                .statusCode(200)
                .body("version", equalTo(1))
                .extract()
                .path("predictions.score");
    }

    @Test
    void shouldNeverServeADeletedModelsVersionsOrPrecomputedRowsForItsSuccessor() {
        String tenant = Api.uniqueTenant("reborn");
        String admin = Api.createTenant(tenant);
        ServingFixtures.upload(tenant, admin, "penguins", "penguins.json");
        ServingFixtures.putModel(tenant, admin, "species", spec(2), true);
        ServingFixtures.train(tenant, admin, "species");
        List<Float> before = scores(tenant, admin);
        String path = base(tenant) + "/models/species";
        String batch = ServingFixtures.finishedBatch(tenant, admin, "species", "penguins");
        Api.as(admin).get(path + "/precomputed/1").then().statusCode(200);
        assertThat(models.isLoaded(new TenantId(tenant), "species", 1)).isTrue();

        Api.as(admin).delete(path).then().statusCode(204);

        assertThat(models.isLoaded(new TenantId(tenant), "species", 1))
                .as("the deleted model's versions are freed at the commit of the delete")
                .isFalse();
        ServingFixtures.putModel(tenant, admin, "species", spec(40), true);
        Api.as(admin).get(path + "/precomputed/1").then().statusCode(404);
        ServingFixtures.train(tenant, admin, "species");
        List<Float> after = scores(tenant, admin);
        assertThat(after)
                .as("version 1 of the new model, not of the deleted one")
                .isNotEqualTo(before);
        Api.as(admin).get(path + "/precomputed/1").then().statusCode(404);
    }

    @Test
    void shouldNotCacheAliasesOfNamesThatDoNotExist() {
        String tenant = Api.uniqueTenant("aliases");
        String admin = Api.createTenant(tenant);
        long before = registry.cachedAliasEntries();
        for (int i = 0; i < 40; i++) {
            predict(tenant, admin, "made-up-" + i, Map.of("records", List.of(penguin())))
                    .then()
                    .statusCode(404);
        }
        assertThat(registry.cachedAliasEntries()).isLessThanOrEqualTo(before);
    }
}
