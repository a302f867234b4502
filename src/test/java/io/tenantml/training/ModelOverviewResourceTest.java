package io.tenantml.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A model's view summarises the version in production, so a list of models needs no call per model. */
@QuarkusTest
class ModelOverviewResourceTest {

    @Test
    void shouldSummariseTheProductionVersionInTheModelAndInTheListAndFollowTheAlias() {
        String tenant = Api.uniqueTenant("overview");
        String admin = Api.createTenant(tenant);
        Fixtures.uploadResource(tenant, admin, "penguins", "penguins.json");
        Fixtures.defineModel(tenant, admin, "species", Fixtures.penguinsSpecies(5, 5), true);
        Fixtures.defineModel(tenant, admin, "untrained", Fixtures.PENGUINS_SPECIES, true);
        Fixtures.train(tenant, admin, "species");
        Fixtures.train(tenant, admin, "species");
        String models = Fixtures.base(tenant) + "/models";

        Response model = Api.as(admin).get(models + "/species");
        assertThat(model.statusCode()).as(model.asString()).isEqualTo(200);
        int production = model.path("aliases.production");
        Response version = Api.as(admin).get(models + "/species/versions/" + production);
        Map<String, Object> summary = model.path("production");
        assertThat(summary)
                .containsEntry("version", production)
                .containsEntry("createdAt", version.path("createdAt"))
                .containsEntry("status", version.path("status"))
                .containsEntry("approved", false)
                .containsEntry("metrics", version.path("metrics"))
                .containsEntry("dataset", version.path("dataset"))
                .doesNotContainKeys("transform", "featureImportance", "provenance");

        Response list = Api.as(admin).get(models);
        assertThat(list.<Map<String, Object>>path("items.find { it.name == 'species' }.production"))
                .isEqualTo(summary);
        assertThat(list.<Map<String, Object>>path("items.find { it.name == 'untrained' }"))
                .as("no version in production: no summary")
                .doesNotContainKey("production");

        // a rollback moves the alias, and the summary with it
        int earlier = production == 1 ? 2 : 1;
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("version", earlier))
                .put(models + "/species/aliases/production")
                .then()
                .statusCode(200);
        int now = Api.as(admin).get(models + "/species").path("production.version");
        assertThat(now).isEqualTo(earlier);
        assertThat(List.of(production, earlier)).containsExactlyInAnyOrder(1, 2);
    }
}
