package io.tenantml.serving;

import static io.tenantml.serving.ServingFixtures.base;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.serving.benchmark.BenchmarkStats;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 4 at full size: a batch prediction over flights-200k (the copy under src/test/resources/datasets; override with
 * -Dtenantml.flights200k=path) gives one result row per input row, equals the online scores for a sample,
 * and a precomputed lookup returns the same score. Reports the batch time and rows per second.
 */
@QuarkusTest
@Tag("benchmark")
class BatchPredictionBenchmarkTest {

    private static final long SAMPLE_SEED = 200_000L;

    private static Path flights200k() {
        String configured = System.getProperty("tenantml.flights200k");
        return Stream.of(configured, "src/test/resources/datasets/flights-200k.json")
                .filter(java.util.Objects::nonNull)
                .map(Path::of)
                .filter(Files::exists)
                .findFirst()
                .orElseThrow(() ->
                        new IllegalStateException("flights-200k.json not found; pass -Dtenantml.flights200k=<path>"));
    }

    @Test
    void batchOverFlights200kMatchesOnlineScores() throws Exception {
        byte[] file = Files.readAllBytes(flights200k());
        String tenant = Api.uniqueTenant("batch200k");
        String admin = Api.createTenant(tenant);
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(file)
                .post(base(tenant) + "/datasets/flights/versions")
                .then()
                .statusCode(201);
        // flights-200k has other columns than flights-20k: delay, distance and time (hour of day).
        Map<String, Object> spec = new java.util.HashMap<>(ServingFixtures.FLIGHTS);
        spec.put("features", List.of("distance", "time"));
        ServingFixtures.putModel(tenant, admin, "delays", spec, true);
        ServingFixtures.train(tenant, admin, "delays");
        String models = base(tenant) + "/models/delays";

        long started = System.nanoTime();
        String id = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("dataset", "flights"))
                .post(models + "/batch-predictions")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        Response status =
                Fixtures.awaitEnd(admin, models + "/batch-predictions/" + id, Duration.ofMinutes(10), r -> {});
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(status.<String>path("status")).as(status.asString()).isEqualTo("succeeded");

        Response results = Api.as(admin).get(models + "/batch-predictions/" + id + "/results");
        List<String> lines = new ArrayList<>();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(results.asInputStream(), StandardCharsets.UTF_8))) {
            in.lines().forEach(lines::add);
        }
        List<Map<String, Object>> flights = new ObjectMapper().readValue(file, new TypeReference<>() {});
        assertThat(lines).hasSize(flights.size() + 1);

        Random random = new Random(SAMPLE_SEED);
        for (int i = 0; i < 50; i++) {
            int line = 1 + random.nextInt(flights.size());
            String[] csv = lines.get(line).split(",");
            double batchScore = Double.parseDouble(csv[1]);
            double online = Api.as(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("records", List.of(flights.get(line - 1))))
                    .post(models + "/predict")
                    .jsonPath()
                    .getDouble("predictions[0].score");
            assertThat(online).as("line %d (seed %d)", line, SAMPLE_SEED).isCloseTo(batchScore, within(1e-6));
            double precomputed = Api.as(admin)
                    .get(models + "/precomputed/" + line)
                    .jsonPath()
                    .getDouble("score");
            assertThat(precomputed).isCloseTo(batchScore, within(1e-6));
        }
        BenchmarkStats.write(
                "serving-batch",
                String.format(
                        Locale.ROOT,
                        """
                ### Batch prediction over flights-200k

                %,d rows (JSON upload; features distance and time), binary model of 20 rounds; chunks of 5,000 rows. From the POST to
                `succeeded` (queueing, scoring, results CSV, precomputed rows by COPY): %.1f s, %,.0f rows/s.
                %,d result rows for %,d input rows; 50 sampled rows (seed %d) equal the online /predict score and
                the precomputed lookup (to 1e-6).
                """,
                        flights.size(),
                        seconds,
                        flights.size() / seconds,
                        lines.size() - 1,
                        flights.size(),
                        SAMPLE_SEED));
    }
}
