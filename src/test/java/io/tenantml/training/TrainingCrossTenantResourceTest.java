package io.tenantml.training;

import static io.tenantml.testing.Fixtures.startTraining;
import static io.tenantml.training.TrainingResourceTest.awaitEnd;
import static io.tenantml.training.TrainingResourceTest.base;
import static io.tenantml.training.TrainingResourceTest.putModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;

/**
 * Isolation of every model, training and registry endpoint: another tenant's admin and integration keys
 * get 403/404 on the victim's paths, 404 when they name the victim's objects under their own path, and
 * nothing of the victim changes. Training jobs read only their own tenant's rows.
 */
@QuarkusTest
class TrainingCrossTenantResourceTest {

    private static final Map<String, Object> SPEC = Fixtures.penguinsSpecies(15, 1);

    @Test
    void shouldIsolateModelsTrainingsAndVersionsBetweenTenants() {
        String victim = Api.uniqueTenant("victim");
        String victimAdmin = Api.createTenant(victim);
        TrainingData.penguins(victim, victimAdmin, "penguins");
        putModel(victim, victimAdmin, "species", SPEC).then().statusCode(201);
        String training = startTraining(victim, victimAdmin, "species");
        assertThat(awaitEnd(victim, victimAdmin, training, new ConcurrentSkipListSet<>())
                        .get("status"))
                .isEqualTo("succeeded");
        String before = snapshot(victim, victimAdmin);

        String attacker = Api.uniqueTenant("attacker");
        String attackerAdmin = Api.createTenant(attacker);
        String attackerIntegration = Api.createKey(attacker, attackerAdmin, "integration");
        // the attacker's own data: only two species, so a model trained on it can only know two classes
        TrainingData.penguins(
                attacker,
                attackerAdmin,
                "penguins",
                record -> !record.path("Species").asText().equals("Chinstrap"));

        List<String> failures = new ArrayList<>();
        for (String key : List.of(attackerAdmin, attackerIntegration)) {
            for (String tenant : List.of(victim, attacker)) {
                // on the victim's path the filter refuses; on the attacker's own path the objects do not exist
                String b = base(tenant);
                expectRefused(failures, key, "GET", b + "/models/species", null);
                expectRefused(failures, key, "POST", b + "/models/species/trainings", Map.of());
                expectRefused(failures, key, "GET", b + "/trainings/" + training, null);
                expectRefused(failures, key, "DELETE", b + "/trainings/" + training, null);
                expectRefused(failures, key, "GET", b + "/models/species/versions/1", null);
                expectRefused(failures, key, "PUT", b + "/models/species/aliases/production", Map.of("version", 1));
                expectRefused(failures, key, "DELETE", b + "/models/species/aliases/production", null);
                if (tenant.equals(victim)) {
                    expectRefused(failures, key, "PUT", b + "/models/species", SPEC);
                    expectRefused(failures, key, "DELETE", b + "/models/species", null);
                    expectRefused(failures, key, "GET", b + "/models", null);
                    expectRefused(failures, key, "GET", b + "/trainings?model=species", null);
                    expectRefused(failures, key, "GET", b + "/models/species/versions", null);
                    expectRefused(failures, key, "GET", b + "/models/species/aliases", null);
                }
            }
        }
        assertThat(failures).as("cross-tenant calls that were not refused").isEmpty();
        // lists under the attacker's own path show none of the victim's objects
        Api.as(attackerAdmin).get(base(attacker) + "/models").then().body("items.size()", equalTo(0));
        Api.as(attackerAdmin)
                .get(base(attacker) + "/trainings?model=species")
                .then()
                .body("items.size()", equalTo(0));
        Api.as(attackerAdmin)
                .get(base(attacker) + "/models/species/versions")
                .then()
                .body("items.size()", equalTo(0));
        assertThat(snapshot(victim, victimAdmin)).isEqualTo(before);

        // same model and dataset names in both tenants: each job reads only its own tenant's rows
        putModel(attacker, attackerAdmin, "species", SPEC).then().statusCode(201);
        String own = startTraining(attacker, attackerAdmin, "species");
        assertThat(awaitEnd(attacker, attackerAdmin, own, new ConcurrentSkipListSet<>())
                        .get("status"))
                .isEqualTo("succeeded");
        Api.as(attackerAdmin)
                .get(base(attacker) + "/models/species/versions/1")
                .then()
                .body("target.classes", contains("Adelie", "Gentoo"));
        Api.as(victimAdmin)
                .get(base(victim) + "/models/species/versions/1")
                .then()
                .body("target.classes", contains("Adelie", "Chinstrap", "Gentoo"));
        assertThat(snapshot(victim, victimAdmin)).isEqualTo(before);
    }

    private static void expectRefused(List<String> failures, String key, String method, String url, Object body) {
        var request = Api.as(key);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        int status = request.request(method, url).statusCode();
        if (status != 403 && status != 404) {
            failures.add(method + " " + url + " -> " + status);
        }
    }

    private static String snapshot(String tenant, String key) {
        String b = base(tenant);
        return Api.as(key).get(b + "/models").asString()
                + Api.as(key).get(b + "/trainings").asString()
                + Api.as(key).get(b + "/models/species/versions").asString()
                + Api.as(key).get(b + "/models/species/aliases").asString();
    }
}
