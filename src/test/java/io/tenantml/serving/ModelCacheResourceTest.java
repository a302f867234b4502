package io.tenantml.serving;

import static io.tenantml.serving.ServingFixtures.penguin;
import static io.tenantml.serving.ServingFixtures.predict;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.tenantml.shared.TenantId;
import io.tenantml.testing.Api;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The model cache under pressure: room for two models, three tenants using theirs. */
@QuarkusTest
@TestProfile(ModelCacheResourceTest.TwoModels.class)
class ModelCacheResourceTest {

    public static class TwoModels implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tenantml.serving.cache.max-models", "2");
        }
    }

    @Inject
    LoadedModels models;

    @Inject
    ServingMetrics metrics;

    /** A tenant with its own penguins model; {@code rounds} differ so that each tenant's answers differ. */
    private static String[] tenantWithModel(String stem, int rounds) {
        String tenant = Api.uniqueTenant(stem);
        String admin = Api.createTenant(tenant);
        ServingFixtures.upload(tenant, admin, "penguins", "penguins.json");
        Map<String, Object> spec = new HashMap<>(ServingFixtures.PENGUINS);
        spec.put("params", Map.of("numRounds", rounds, "seed", ServingFixtures.SEED));
        ServingFixtures.putModel(tenant, admin, "species", spec, true);
        ServingFixtures.train(tenant, admin, "species");
        return new String[] {tenant, admin};
    }

    private static Map<String, Object> request() {
        Map<String, Object> uncertain = penguin();
        uncertain.remove("Flipper Length (mm)");
        uncertain.put("Beak Length (mm)", 44.0);
        return Map.of("records", List.of(penguin(), uncertain));
    }

    @Test
    void shouldStayCorrectWhileThreeTenantsShareACacheOfTwo() {
        List<String[]> tenants =
                List.of(tenantWithModel("cache-a", 2), tenantWithModel("cache-b", 6), tenantWithModel("cache-c", 20));
        // What each tenant's model answers when it is the only one loaded.
        List<List<Float>> expected = new ArrayList<>();
        for (String[] t : tenants) {
            expected.add(predict(t[0], t[1], "species", request())
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("predictions.score"));
        }
        assertThat(expected).doesNotHaveDuplicates();
        long loadsBefore = models.loads();

        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < tenants.size(); i++) {
                String[] t = tenants.get(i);
                Response r = predict(t[0], t[1], "species", request());
                assertThat(r.<List<Float>>path("predictions.score"))
                        .as("tenant %s round %d", t[0], round)
                        .isEqualTo(expected.get(i));
                assertThat(models.size()).isLessThanOrEqualTo(2);
            }
        }
        // Round-robin over three with room for two: every request is a cold load after eviction.
        assertThat(models.loads() - loadsBefore).isEqualTo(12);
        double evictions = tenants.stream()
                .mapToDouble(t -> metrics.count(ServingMetrics.CACHE_EVICTIONS, t[0], "species"))
                .sum();
        assertThat(evictions).isGreaterThanOrEqualTo(12);
        assertThat(metrics.count(ServingMetrics.CACHE_MISSES, tenants.get(0)[0], "species"))
                .isGreaterThanOrEqualTo(5);
    }

    @Test
    void shouldLoadAColdModelOnceForFiftyConcurrentFirstRequests() throws Exception {
        String[] t = tenantWithModel("cold", 10);
        assertThat(models.isLoaded(new TenantId(t[0]), "species", 1)).isFalse();
        long loadsBefore = models.loads();
        int callers = 50;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                statuses.add(pool.submit(() -> {
                    start.await();
                    return predict(t[0], t[1], "species", request()).statusCode();
                }));
            }
            start.countDown();
            for (Future<Integer> status : statuses) {
                assertThat(status.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(models.loads() - loadsBefore).as("loads of the cold model").isEqualTo(1);
        assertThat(metrics.count(ServingMetrics.CACHE_MISSES, t[0], "species")
                        + metrics.count(ServingMetrics.CACHE_HITS, t[0], "species"))
                .isEqualTo(callers);
    }

    @Test
    void shouldFreeAnOffboardedTenantsLoadedModelsAndNoOtherTenants() {
        String[] gone = tenantWithModel("gone", 5);
        String[] stays = tenantWithModel("stays", 5);
        predict(gone[0], gone[1], "species", request()).then().statusCode(200);
        predict(stays[0], stays[1], "species", request()).then().statusCode(200);
        assertThat(models.isLoaded(new TenantId(gone[0]), "species", 1)).isTrue();

        Api.asOperator().delete("/api/v1/tenants/" + gone[0]).then().statusCode(204);

        assertThat(models.isLoaded(new TenantId(gone[0]), "species", 1)).isFalse();
        assertThat(models.isLoaded(new TenantId(stays[0]), "species", 1)).isTrue();
    }
}
