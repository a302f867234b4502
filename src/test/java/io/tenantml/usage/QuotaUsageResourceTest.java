package io.tenantml.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.experts.ExpertsData;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET quotas: each count and storage limit beside what the tenant has of it, counted as the checks count. */
@QuarkusTest
class QuotaUsageResourceTest {

    private static Response quotas(String tenant, String key) {
        return Api.as(key).get(Fixtures.base(tenant) + "/quotas");
    }

    /** The entry of {@code limit} (the only one: no Keycloak provisioning in this profile). */
    private static Map<String, Object> use(Response quotas, String limit) {
        List<Map<String, Object>> found = quotas.path("quotas.findAll { it.limit == '" + limit + "' }");
        assertThat(found).as(limit + " in " + quotas.asString()).hasSize(1);
        return found.get(0);
    }

    private static long used(Response quotas, String limit) {
        return ((Number) use(quotas, limit).get("used")).longValue();
    }

    @Test
    void shouldShowEachLimitBesideWhatTheTenantHasOfIt() {
        String tenant = Api.uniqueTenant("quse");
        String admin = Api.createTenant(tenant);
        Fixtures.plan(
                tenant,
                Map.of("models", 3, "datasets", 5, "recommenders", 2, "integrationClients", 4, "trainingsPerDay", 10));
        Fixtures.uploadResource(tenant, admin, "penguins", "penguins.json");
        Fixtures.defineModel(tenant, admin, "species", Fixtures.PENGUINS_SPECIES, true);
        Fixtures.defineModel(tenant, admin, "species-again", Fixtures.PENGUINS_SPECIES, false);
        ExpertsData.declare(tenant, admin, ExpertsData.DATASET);
        ExpertsData.put(tenant, admin, "experts", ExpertsData.spec(ExpertsData.DATASET));
        Api.createKey(tenant, admin, "integration");
        Api.createKey(tenant, admin, "admin"); // admin keys are no integration clients
        Fixtures.train(tenant, admin, "species");

        Response quotas = quotas(tenant, admin);
        assertThat(quotas.statusCode()).as(quotas.asString()).isEqualTo(200);
        assertThat(quotas.<String>path("tenant")).isEqualTo(tenant);
        assertThat(quotas.<List<String>>path("quotas.limit"))
                .as("in the order of the plan's limits")
                .containsExactly(
                        "storedBytes",
                        "datasets",
                        "models",
                        "recommenders",
                        "trainingsPerDay",
                        "concurrentJobs",
                        "integrationClients");
        assertThat(use(quotas, "datasets")).containsEntry("max", 5).containsEntry("used", 2);
        assertThat(use(quotas, "models")).containsEntry("max", 3).containsEntry("used", 2);
        assertThat(use(quotas, "recommenders")).containsEntry("max", 2).containsEntry("used", 1);
        assertThat(use(quotas, "integrationClients"))
                .containsEntry("max", 4)
                .containsEntry("used", 1)
                .containsEntry("counts", "integration API keys");
        assertThat(use(quotas, "trainingsPerDay")).containsEntry("max", 10).containsEntry("used", 1);
        assertThat(Instant.parse(quotas.path("quotas.find { it.limit == 'trainingsPerDay' }.resetsAt")))
                .as("the next UTC midnight")
                .isEqualTo(Instant.now().truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS));
        assertThat(used(quotas, "concurrentJobs")).as("the training has ended").isZero();
        assertThat(used(quotas, "storedBytes")).as("rows and a model version").isPositive();
        Map<String, Integer> parts = quotas.path("quotas.find { it.limit == 'storedBytes' }.parts");
        assertThat(parts).containsOnlyKeys("datasets", "models");
        assertThat(parts.values()).allMatch(bytes -> bytes > 0);
        assertThat(parts.values().stream().mapToLong(Integer::longValue).sum()).isEqualTo(used(quotas, "storedBytes"));
        assertThat(use(quotas, "storedBytes")).doesNotContainKey("max");
    }

    /**
     * The view counts what the checks count: at the count it shows, one more is refused, and a limit set to the
     * stored bytes it shows refuses every job that stores files, naming that same number.
     */
    @Test
    void shouldShowTheCountsThePlanIsCheckedAgainst() {
        String tenant = Api.uniqueTenant("qsame");
        String admin = Api.createTenant(tenant);
        Fixtures.uploadResource(tenant, admin, "penguins", "penguins.json");
        Fixtures.defineModel(tenant, admin, "species", Fixtures.PENGUINS_SPECIES, true);
        Fixtures.defineModel(tenant, admin, "species-again", Fixtures.PENGUINS_SPECIES, false);

        Response before = quotas(tenant, admin);
        long models = used(before, "models");
        long stored = used(before, "storedBytes");
        assertThat(use(before, "models")).as("no limit: counted all the same").doesNotContainKey("max");
        Fixtures.plan(tenant, Map.of("models", models, "storedBytes", stored));
        Response refused = Fixtures.putModel(tenant, admin, "one-more", Fixtures.PENGUINS_SPECIES);
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(409);
        assertThat(refused.<String>path("limit")).isEqualTo("models");
        Response training = Api.as(admin)
                .contentType(ContentType.JSON)
                .body("{}")
                .post(Fixtures.base(tenant) + "/models/species/trainings");
        assertThat(training.statusCode()).as(training.asString()).isEqualTo(409);
        assertThat(training.<String>path("detail")).contains("the tenant stores " + stored + ";");

        Response after = quotas(tenant, admin);
        assertThat(use(after, "models")).containsEntry("used", (int) models).containsEntry("max", (int) models);
        assertThat(used(after, "storedBytes")).isEqualTo(stored);
    }

    @Test
    void shouldCountOnlyTheTenantsOwnThingsAndAnswerAnotherTenant404() {
        String a = Api.uniqueTenant("qowna");
        String adminA = Api.createTenant(a);
        String b = Api.uniqueTenant("qownb");
        String adminB = Api.createTenant(b);
        Fixtures.uploadResource(a, adminA, "penguins", "penguins.json");
        Fixtures.defineModel(a, adminA, "species", Fixtures.PENGUINS_SPECIES, true);
        Response aBefore = quotas(a, adminA);

        // b gets the same names and more of them
        Fixtures.uploadResource(b, adminB, "penguins", "penguins.json");
        for (String model : List.of("species", "second", "third")) {
            Fixtures.defineModel(b, adminB, model, Fixtures.PENGUINS_SPECIES, true);
        }
        Api.createKey(b, adminB, "integration");
        assertThat(used(quotas(b, adminB), "models")).isEqualTo(3);
        assertThat(used(quotas(b, adminB), "integrationClients")).isEqualTo(1);

        Response aAfter = quotas(a, adminA);
        assertThat(aAfter.<List<Object>>path("quotas.used")).isEqualTo(aBefore.<List<Object>>path("quotas.used"));
        assertThat(used(aAfter, "models")).isEqualTo(1);

        Response foreign = quotas(a, adminB);
        assertThat(foreign.statusCode()).as(foreign.asString()).isEqualTo(404);
        assertThat(foreign.contentType()).startsWith("application/problem+json");
        Response byIntegration = quotas(a, Api.createKey(a, adminA, "integration"));
        assertThat(byIntegration.statusCode()).as("admins only").isEqualTo(403);
    }
}
