package io.tenantml.serving;

import static io.tenantml.serving.ServingFixtures.base;
import static io.tenantml.serving.ServingFixtures.penguin;
import static io.tenantml.serving.ServingFixtures.predict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.feature.ValueKind;
import io.tenantml.monitoring.LogRecord;
import io.tenantml.monitoring.PredictionLog;
import io.tenantml.monitoring.PredictionLogReader;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.testing.Api;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PredictionResourceTest {

    @Inject
    PredictionLog log;

    @Inject
    PredictionLogReader reader;

    @Inject
    TenantScope scope;

    @Inject
    ServingMetrics metrics;

    static String tenant;
    static String admin;
    static String integration;

    /** Once per class, but after Quarkus has set REST Assured's port (it has not in @BeforeAll). */
    @BeforeEach
    void penguins() {
        if (tenant == null) {
            tenant = Api.uniqueTenant("serve");
            admin = ServingFixtures.penguinsTenant(tenant);
            integration = Api.createKey(tenant, admin, "integration");
        }
    }

    @Test
    void shouldGiveMulticlassProbabilitiesThatSumToOne() {
        Response r = predict(tenant, integration, "species", Map.of("records", List.of(penguin(), penguin())));
        r.then()
                .statusCode(200)
                .body("model", equalTo("species"))
                .body("version", equalTo(1))
                .body("predictions", hasSize(2))
                .body("warnings", hasSize(0));
        Map<String, Float> probabilities = r.path("predictions[0].probabilities");
        assertThat(probabilities).containsOnlyKeys("Adelie", "Chinstrap", "Gentoo");
        assertThat(probabilities.values().stream()
                        .mapToDouble(Float::doubleValue)
                        .sum())
                .isCloseTo(1.0, within(1e-5));
        assertThat(r.<String>path("predictions[0].label")).isEqualTo("Gentoo");
        UUID.fromString(r.path("predictions[0].id"));
        assertThat(r.<String>path("predictions[0].id")).isNotEqualTo(r.path("predictions[1].id"));
    }

    @Test
    void shouldExplainWithContributionsPlusBiasEqualToTheMargin() {
        Map<String, Object> partial = penguin();
        partial.remove("Sex");
        Response r = predict(
                tenant, integration, "species", Map.of("records", List.of(penguin(), partial), "explain", true));
        r.then().statusCode(200);
        for (int i = 0; i < 2; i++) {
            Map<String, Number> contributions = r.jsonPath().getMap("predictions[" + i + "].contributions");
            assertThat(contributions).containsKey("bias").containsKey("Flipper Length (mm)");
            double sum = contributions.values().stream()
                    .mapToDouble(Number::doubleValue)
                    .sum();
            assertThat(sum).isCloseTo(r.jsonPath().getDouble("predictions[" + i + "].margin"), within(1e-4));
        }
    }

    @Test
    void shouldRejectAStringWhereANumberBelongsNamingTheRecordIndexAndField() {
        Map<String, Object> bad = penguin();
        bad.put("Flipper Length (mm)", "long");
        predict(tenant, integration, "species", Map.of("records", List.of(penguin(), penguin(), bad)))
                .then()
                .statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("record", equalTo(2))
                .body("field", equalTo("Flipper Length (mm)"))
                .body("detail", containsString("record 2"));
    }

    @Test
    void shouldPredictAndWarnWhenAFeatureIsMissing() {
        Map<String, Object> partial = penguin();
        partial.remove("Body Mass (g)");
        partial.put("Island", "Atlantis");
        partial.put("Colour", "black");
        predict(tenant, integration, "species", Map.of("records", List.of(partial)))
                .then()
                .statusCode(200)
                .body("predictions", hasSize(1))
                .body("predictions[0].label", org.hamcrest.Matchers.notNullValue())
                .body("warnings.find { it.kind == 'missing-feature' }.field", equalTo("Body Mass (g)"))
                .body("warnings.find { it.kind == 'unseen-category' }.field", equalTo("Island"))
                .body("warnings.find { it.kind == 'unknown-field' }.field", equalTo("Colour"))
                .body("warnings[0].record", equalTo(0));
    }

    @Test
    void shouldRefuseMoreRecordsThanTheMaximumWith413() {
        List<Map<String, Object>> records = Collections.nCopies(1001, penguin());
        predict(tenant, integration, "species", Map.of("records", records))
                .then()
                .statusCode(413)
                .body("maxRecords", equalTo(1000));
    }

    @Test
    void shouldRejectAnEmptyRequestAndAnUnknownVersion() {
        predict(tenant, integration, "species", Map.of("records", List.of()))
                .then()
                .statusCode(400)
                .body("field", equalTo("records"));
        predict(tenant, integration, "species", Map.of("records", List.of(penguin()), "version", 99))
                .then()
                .statusCode(404);
        predict(
                        tenant,
                        integration,
                        "species",
                        Map.of("records", List.of(penguin()), "version", 1, "alias", "production"))
                .then()
                .statusCode(400)
                .body("field", equalTo("alias"));
        // a name no alias can have is the request's fault (400), not "no version under it yet" (409)
        for (String alias : new String[] {"", "Production", "prod uction"}) {
            predict(tenant, integration, "species", Map.of("records", List.of(penguin()), "alias", alias))
                    .then()
                    .statusCode(400)
                    .body("type", endsWith("/invalid-alias"))
                    .body("field", equalTo("alias"));
        }
    }

    @Test
    void shouldLogEveryPredictionWithItsTransformedFeaturesAndAcceptFeedbackForIt() throws Exception {
        Response r = predict(tenant, integration, "species", Map.of("records", List.of(penguin())));
        String id = r.path("predictions[0].id");
        assertThat(log.flush(Duration.ofSeconds(10))).isTrue();
        Api.as(integration)
                .contentType(ContentType.JSON)
                .body(List.of(Map.of("predictionId", id, "label", "Gentoo")))
                .post(base(tenant) + "/models/species/feedback")
                .then()
                .statusCode(202)
                .body("accepted", equalTo(1))
                .body("unknownIds", hasSize(0));
    }

    @Test
    void shouldLogEachRawValuesKindApartFromItsEncodedValueAndLogRefusedRecordsWithoutAScore() throws Exception {
        // A fresh model name would need a training; instead the records are told apart by their kinds.
        Map<String, Object> unseen = penguin();
        unseen.put("Island", "Atlantis"); // encoded as missing, like the absent Sex below, but another kind
        Map<String, Object> missing = penguin();
        missing.remove("Sex");
        Map<String, Object> outOfRange = penguin();
        outOfRange.put("Body Mass (g)", 90_000); // far above every training penguin
        Response r = predict(tenant, integration, "species", Map.of("records", List.of(unseen, missing, outOfRange)));
        r.then().statusCode(200);
        Map<String, Object> refused = penguin();
        refused.put("Beak Depth (mm)", "deep");
        predict(tenant, integration, "species", Map.of("records", List.of(refused)))
                .then()
                .statusCode(400);
        assertThat(log.flush(Duration.ofSeconds(10))).isTrue();

        Map<UUID, LogRecord> logged = new HashMap<>();
        List<LogRecord> refusedRecords = new ArrayList<>();
        scope.run(
                new TenantId(tenant),
                () -> reader.read("species", 1, Instant.EPOCH, Instant.now().plusSeconds(60), record -> {
                    logged.put(record.id(), record);
                    if (!record.scored()) {
                        refusedRecords.add(record);
                    }
                }));
        // inputs in the order the model was trained on them: Island, the four measures, Sex
        LogRecord u = logged.get(UUID.fromString(r.path("predictions[0].id")));
        LogRecord m = logged.get(UUID.fromString(r.path("predictions[1].id")));
        LogRecord o = logged.get(UUID.fromString(r.path("predictions[2].id")));
        assertThat(u.kinds())
                .containsExactly(
                        ValueKind.UNSEEN_CATEGORY,
                        ValueKind.PRESENT,
                        ValueKind.PRESENT,
                        ValueKind.PRESENT,
                        ValueKind.PRESENT,
                        ValueKind.PRESENT);
        assertThat(m.kinds()[5]).isEqualTo(ValueKind.MISSING);
        assertThat(Float.isNaN(u.features()[0]))
                .as("an unseen category is encoded as missing")
                .isTrue();
        assertThat(Float.isNaN(m.features()[5])).isTrue();
        assertThat(o.kinds()[4]).isEqualTo(ValueKind.OUT_OF_RANGE);
        assertThat(o.features()[4]).as("an out-of-range value keeps its value").isEqualTo(90_000f);
        assertThat(u.outputs()).hasSize(3); // the three species' probabilities
        assertThat(u.sampledEvery()).isEqualTo(1);
        assertThat(refusedRecords).anySatisfy(rec -> assertThat(rec.kinds()[2]).isEqualTo(ValueKind.REFUSED));
    }

    @Test
    void shouldCountPredictionsAndErrorsPerTenantAndModel() {
        double before = metrics.count(ServingMetrics.PREDICTIONS, tenant, "species");
        double errors = metrics.count(ServingMetrics.ERRORS, tenant, "species");
        predict(tenant, integration, "species", Map.of("records", List.of(penguin(), penguin(), penguin())))
                .then()
                .statusCode(200);
        Map<String, Object> bad = new HashMap<>(penguin());
        bad.put("Body Mass (g)", "x");
        predict(tenant, integration, "species", Map.of("records", List.of(bad)))
                .then()
                .statusCode(400);
        assertThat(metrics.count(ServingMetrics.PREDICTIONS, tenant, "species")).isEqualTo(before + 3);
        assertThat(metrics.count(ServingMetrics.ERRORS, tenant, "species")).isEqualTo(errors + 1);
        assertThat(metrics.count(ServingMetrics.CACHE_HITS, tenant, "species")).isPositive();
    }

    @Test
    void shouldGiveTheSameAnswerToConcurrentRequests() throws Exception {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Map<String, Object> p = penguin();
            p.put("Body Mass (g)", 3000 + 200 * i);
            records.add(p);
        }
        List<Float> expected = predict(tenant, integration, "species", Map.of("records", records))
                .path("predictions.score");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<List<Float>>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                futures.add(pool.submit(() -> predict(tenant, integration, "species", Map.of("records", records))
                        .then()
                        .statusCode(200)
                        .extract()
                        .<List<Float>>path("predictions.score")));
            }
            for (var f : futures) {
                assertThat(f.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldGiveEachOfManyConcurrentRequestsItsOwnPredictions() throws Exception {
        // Distinct penguins, so a request answered with another request's row would be noticed.
        List<Map<String, Object>> penguins = new ArrayList<>();
        String[] islands = {"Biscoe", "Dream", "Torgersen"};
        for (int i = 0; i < 24; i++) {
            Map<String, Object> record = penguin();
            record.put("Island", islands[i % 3]);
            record.put("Beak Length (mm)", 34.0 + i);
            record.put("Flipper Length (mm)", 175 + 2 * i);
            record.put("Sex", i % 2 == 0 ? "MALE" : "FEMALE");
            penguins.add(record);
        }
        List<Map<String, Float>> alone = new ArrayList<>();
        for (Map<String, Object> record : penguins) {
            alone.add(predict(tenant, integration, "species", Map.of("records", List.of(record)))
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("predictions[0].probabilities"));
        }
        assertThat(alone.stream().distinct().count()).isGreaterThan(3);

        // Many at once: the event loops score requests that arrive together in one XGBoost call.
        double callsBefore = batchCalls();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<Map<String, Float>>> answers = new ArrayList<>();
            for (int round = 0; round < 8; round++) {
                for (Map<String, Object> record : penguins) {
                    answers.add(clients.submit(
                            () -> predict(tenant, integration, "species", Map.of("records", List.of(record)))
                                    .then()
                                    .statusCode(200)
                                    .extract()
                                    .<Map<String, Float>>path("predictions[0].probabilities")));
                }
            }
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).get(60, TimeUnit.SECONDS))
                        .as("request %d", i)
                        .isEqualTo(alone.get(i % penguins.size()));
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(batchCalls() - callsBefore)
                .as("XGBoost calls for 192 requests")
                .isBetween(1.0, 192.0);
    }

    private double batchCalls() {
        return metrics.summaryCount(ServingMetrics.BATCH_ROWS, tenant, "species");
    }
}
