package io.tenantml.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Training and serving read the same raw values the same way, over HTTP: a model trained on an upload whose
 * cells are written as people write them (date-times with a space, {@code Jan 5 2024}, {@code "yes"}, a
 * categorical sent as the JSON number 1.0, epoch milliseconds) scores those same raw values online without a
 * warning and exactly as the batch job scores the stored rows; and a value ingestion would quarantine is a
 * 400 problem naming the field and the check, for every column type. The value-level proof is
 * {@link TrainingServingParityTest}.
 */
@QuarkusTest
class TrainingServingParityResourceTest {

    static final String DATASET = "accounts";
    static final String MODEL = "value";
    static final int ROWS = 240;

    static String tenant;
    static String admin;
    static String integration;
    static List<Map<String, Object>> uploaded;

    /** Once per class, but after Quarkus has set REST Assured's port (it has not in @BeforeAll). */
    @BeforeEach
    void trainedOnRawValues() throws JsonProcessingException {
        if (tenant != null) {
            return;
        }
        tenant = Api.uniqueTenant("parity");
        admin = Api.createTenant(tenant);
        integration = Api.createKey(tenant, admin, "integration");
        Fixtures.declareDataset(
                tenant,
                admin,
                DATASET,
                Map.of(
                        "columns",
                        List.of(
                                column("id", "integer", Map.of("nullable", false)),
                                column("when", "timestamp", Map.of()),
                                column("member", "boolean", Map.of()),
                                column("plan", "categorical", Map.of("allowedValues", List.of("1", "2", "3"))),
                                column("seats", "integer", Map.of("min", 0, "max", 50)),
                                column("amount", "numeric", Map.of()),
                                column("note", "text", Map.of()),
                                column("score", "numeric", Map.of())),
                        "primaryKey",
                        "id"));
        uploaded = records();
        Response upload = Fixtures.upload(
                tenant, admin, DATASET, ContentType.JSON.toString(), new ObjectMapper().writeValueAsBytes(uploaded));
        assertThat(upload.statusCode()).as(upload.asString()).isEqualTo(201);
        assertThat(upload.<Integer>path("rows"))
                .as("every raw value is accepted")
                .isEqualTo(ROWS);
        assertThat(upload.<Integer>path("quarantinedRows")).isZero();
        Fixtures.defineModel(
                tenant,
                admin,
                MODEL,
                Map.of(
                        "dataset",
                        DATASET,
                        "target",
                        "score",
                        "objective",
                        "regression",
                        "features",
                        List.of("when", "member", "plan", "seats", "amount", "note"),
                        "params",
                        Map.of("numRounds", 40, "seed", 5)),
                true);
        Fixtures.train(tenant, admin, MODEL);
    }

    @Test
    void shouldScoreTheRawValuesOfTheUploadOnlineWithoutWarningsAndAsTheBatchScoresTheStoredRows() {
        // the examples, as sent by an integration that sends what it uploaded
        List<Map<String, Object>> sample = new ArrayList<>();
        List<Object> ids = new ArrayList<>();
        for (Map<String, Object> row : uploaded.subList(0, 12)) {
            Map<String, Object> record = new LinkedHashMap<>(row);
            ids.add(record.remove("id"));
            record.remove("score");
            sample.add(record);
        }
        assertThat(sample.get(0))
                .containsEntry("when", "2024-01-01 10:00")
                .containsEntry("member", "yes")
                .containsEntry("plan", 1.0);
        assertThat(sample.get(1)).containsEntry("when", "Jan 2 2024");
        Response online = predict(sample);
        online.then().statusCode(200).body("warnings.size()", equalTo(0));

        String batch = Api.as(integration)
                .contentType(ContentType.JSON)
                .body(Map.of("dataset", DATASET))
                .post(models() + "/batch-predictions")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        Fixtures.awaitEnd(integration, models() + "/batch-predictions/" + batch)
                .then()
                .body("status", equalTo("succeeded"));
        for (int i = 0; i < sample.size(); i++) {
            Object id = ids.get(i);
            double stored = Api.as(integration)
                    .get(models() + "/precomputed/" + id)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getDouble("score");
            assertThat(online.jsonPath().getDouble("predictions[" + i + "].score"))
                    .as("record id %s: %s", id, sample.get(i))
                    .isCloseTo(stored, within(1e-6));
        }

        // The equality above is not vacuous: the model uses the plan, so a plan that became missing or unseen
        // (the old lookup of 1.0 as "1.0") changes scores.
        List<Map<String, Object>> withoutPlan = new ArrayList<>();
        for (Map<String, Object> record : sample) {
            Map<String, Object> copy = new HashMap<>(record);
            copy.remove("plan");
            withoutPlan.add(copy);
        }
        List<Float> scores = online.path("predictions.score");
        assertThat(predict(withoutPlan).<List<Float>>path("predictions.score")).isNotEqualTo(scores);
    }

    @Test
    void shouldRefuseAValueIngestionWouldQuarantineWith400NamingTheFieldForEveryColumnType() {
        Map<String, Object> valid = new HashMap<>(uploaded.get(0));
        valid.remove("id");
        valid.remove("score");
        Object[][] refused = {
            {"amount", "a lot", "type"}, // numeric
            {"seats", 1.5, "type"}, // integer
            {"member", "maybe", "type"}, // boolean
            {"plan", Map.of("tier", 1), "type"}, // categorical
            {"when", "2024-13-01", "type"}, // timestamp
            {"note", List.of("a", "b"), "type"}, // text
            {"seats", 51, "range"},
            {"plan", 4, "allowed-values"},
        };
        for (Object[] bad : refused) {
            Map<String, Object> record = new HashMap<>(valid);
            record.put((String) bad[0], bad[1]);
            predict(List.of(valid, record))
                    .then()
                    .statusCode(400)
                    .contentType(containsString("application/problem+json"))
                    .body("record", equalTo(1))
                    .body("field", equalTo(bad[0]))
                    .body("check", equalTo(bad[2]))
                    .body("detail", containsString("record 1: '" + bad[0] + "'"));
        }
    }

    private static Response predict(List<Map<String, Object>> records) {
        return Api.as(integration)
                .contentType(ContentType.JSON)
                .body(Map.of("records", records))
                .post(models() + "/predict");
    }

    private static String models() {
        return Fixtures.base(tenant) + "/models/" + MODEL;
    }

    private static Map<String, Object> column(String name, String type, Map<String, Object> constraints) {
        Map<String, Object> column = new LinkedHashMap<>(constraints);
        column.put("name", name);
        column.put("type", type);
        return column;
    }

    /**
     * Raw values written the many ways ingestion reads them; the score is a fixed function of the values, so
     * that the model needs every feature: 10 per plan step, 8 for a member, half the hour, the seats, a tenth
     * of the amount, 3 for a "beta" note.
     */
    private static List<Map<String, Object>> records() {
        List<Map<String, Object>> records = new ArrayList<>();
        String[] notes = {"alpha", "beta", "gamma"};
        for (int i = 0; i < ROWS; i++) {
            int day = 1 + i % 28;
            int hour = (10 + i * 7) % 24;
            Object when = switch (i % 4) {
                case 0 -> String.format("2024-01-%02d %02d:00", day, hour);
                case 1 -> "Jan " + day + " 2024";
                case 2 -> String.format("2024/01/%02d %02d:00:00", day, hour);
                default -> 1_704_067_200_000L + (day - 1) * 86_400_000L + hour * 3_600_000L;
            };
            int effectiveHour = i % 4 == 1 ? 0 : hour;
            boolean member = i % 3 != 1;
            int plan = 1 + i % 3;
            int seats = i % 11;
            double amount = 10 + (i * 37) % 90 + 0.25;
            String note = notes[(i / 3) % 3];
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("id", i + 1);
            record.put("when", when);
            record.put("member", member ? (i % 2 == 0 ? "yes" : "Y") : "no");
            record.put("plan", (double) plan);
            record.put("seats", i % 2 == 0 ? (Object) (double) seats : Integer.toString(seats));
            record.put("amount", i % 5 == 0 ? " " + amount + " " : amount);
            record.put("note", note);
            record.put(
                    "score",
                    10.0 * plan
                            + (member ? 8 : 0)
                            + effectiveHour / 2.0
                            + seats
                            + amount / 10
                            + (note.equals("beta") ? 3 : 0));
            records.add(record);
        }
        return records;
    }
}
