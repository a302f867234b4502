package io.tenantml.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.feature.ValueKind;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.TimeOrderedIds;
import io.tenantml.testing.Api;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FeedbackResourceTest {

    @Inject
    PredictionLog log;

    @Inject
    AgroalDataSource dataSource;

    private List<UUID> logPredictions(String tenant, String model, int count) throws Exception {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = TimeOrderedIds.next(); // as Scorer mints prediction ids
            assertThat(log.record(new LoggedPrediction(
                            id,
                            new TenantId(tenant),
                            model,
                            1,
                            Instant.now(),
                            new ValueKind[] {ValueKind.PRESENT, ValueKind.MISSING},
                            new float[] {i, Float.NaN},
                            new float[] {0.25f})))
                    .isTrue();
            ids.add(id);
        }
        assertThat(log.flush(Duration.ofSeconds(10))).isTrue();
        return ids;
    }

    private static Map<String, Object> item(UUID id, String label) {
        return Map.of("predictionId", id.toString(), "label", label, "observedAt", "2026-01-02T03:04:05Z");
    }

    private String feedbackRows(String tenant) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select prediction_id, label from prediction_feedback "
                        + "where tenant_id = ? order by prediction_id")) {
            ps.setString(1, tenant);
            StringBuilder sb = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sb.append(rs.getString(1))
                            .append('=')
                            .append(rs.getString(2))
                            .append('\n');
                }
            }
            return sb.toString();
        }
    }

    @Test
    void shouldAcceptKnownIdsAndListUnknownOnes() throws Exception {
        String tenant = Api.uniqueTenant("fb");
        String admin = Api.createTenant(tenant);
        String integration = Api.createKey(tenant, admin, "integration");
        List<UUID> ids = logPredictions(tenant, "churn", 2);
        UUID unknown = UUID.randomUUID();

        Api.as(integration)
                .contentType(ContentType.JSON)
                .body(List.of(item(ids.get(0), "yes"), item(ids.get(1), "no"), item(unknown, "yes")))
                .post("/api/v1/tenants/" + tenant + "/models/churn/feedback")
                .then()
                .statusCode(202)
                .body("accepted", equalTo(2))
                .body("unknownIds", containsInAnyOrder(unknown.toString()));

        assertThat(feedbackRows(tenant).lines()).hasSize(2);
    }

    @Test
    void shouldKeepOneRowPerPredictionWithTheLastLabelWhenFeedbackIsRepeated() throws Exception {
        String tenant = Api.uniqueTenant("fb");
        String admin = Api.createTenant(tenant);
        UUID id = logPredictions(tenant, "churn", 1).get(0);
        String url = "/api/v1/tenants/" + tenant + "/models/churn/feedback";

        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(List.of(item(id, "yes")))
                .post(url)
                .then()
                .statusCode(202)
                .body("accepted", equalTo(1))
                .body("unknownIds", empty());
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(List.of(item(id, "yes")))
                .post(url)
                .then()
                .statusCode(202)
                .body("accepted", equalTo(1));
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(List.of(item(id, "no")))
                .post(url)
                .then()
                .statusCode(202)
                .body("accepted", equalTo(1));

        assertThat(feedbackRows(tenant)).isEqualTo(id + "=no\n");
    }

    @Test
    void shouldTreatAPredictionOfAnotherModelOrTenantAsUnknown() throws Exception {
        String victim = Api.uniqueTenant("fbv");
        Api.createTenant(victim);
        String attacker = Api.uniqueTenant("fba");
        String attackerAdmin = Api.createTenant(attacker);
        UUID victimPrediction = logPredictions(victim, "churn", 1).get(0);
        UUID otherModel = logPredictions(attacker, "other", 1).get(0);

        Api.as(attackerAdmin)
                .contentType(ContentType.JSON)
                .body(List.of(item(victimPrediction, "forged"), item(otherModel, "yes")))
                .post("/api/v1/tenants/" + attacker + "/models/churn/feedback")
                .then()
                .statusCode(202)
                .body("accepted", equalTo(0))
                .body("unknownIds", containsInAnyOrder(victimPrediction.toString(), otherModel.toString()));

        assertThat(feedbackRows(victim)).isEmpty();
        assertThat(feedbackRows(attacker)).isEmpty();
    }

    @Test
    void shouldRefuseFeedbackOnAnotherTenantsPath() throws Exception {
        String victim = Api.uniqueTenant("fbv");
        Api.createTenant(victim);
        String attackerAdmin = Api.createTenant(Api.uniqueTenant("fba"));
        UUID id = logPredictions(victim, "churn", 1).get(0);

        int status = Api.as(attackerAdmin)
                .contentType(ContentType.JSON)
                .body(List.of(item(id, "forged")))
                .post("/api/v1/tenants/" + victim + "/models/churn/feedback")
                .then()
                .extract()
                .statusCode();
        assertThat(status).isIn(403, 404);
        assertThat(feedbackRows(victim)).isEmpty();
    }

    @Test
    void shouldRejectAnItemWithNeitherLabelNorValueNamingItsIndex() throws Exception {
        String tenant = Api.uniqueTenant("fb");
        String admin = Api.createTenant(tenant);
        UUID id = logPredictions(tenant, "churn", 1).get(0);

        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(List.of(item(id, "yes"), Map.of("predictionId", id.toString())))
                .post("/api/v1/tenants/" + tenant + "/models/churn/feedback")
                .then()
                .statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("detail", containsString("item 1"))
                .body("index", equalTo(1));
        assertThat(feedbackRows(tenant)).as("nothing half-written").isEmpty();
    }

    /**
     * Each item is validated as declared on FeedbackItem, and the answer says which item: the field was
     * "predictionId" alone, whichever of a thousand items lacked it.
     */
    @Test
    void shouldRejectAnItemWithoutAPredictionIdNamingItsField() throws Exception {
        String tenant = Api.uniqueTenant("fb");
        String admin = Api.createTenant(tenant);
        UUID id = logPredictions(tenant, "churn", 1).get(0);

        Response refused = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(List.of(item(id, "yes"), Map.of("label", "no")))
                .post("/api/v1/tenants/" + tenant + "/models/churn/feedback");
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(400);
        assertThat(refused.contentType()).contains("application/problem+json");
        assertThat(refused.<String>path("errors[0].field")).isEqualTo("[1].predictionId");
        assertThat(refused.<String>path("detail")).isEqualTo("[1].predictionId: must not be null");
        assertThat(feedbackRows(tenant)).as("nothing half-written").isEmpty();
    }

    @Test
    void shouldAcceptARegressionValue() throws Exception {
        String tenant = Api.uniqueTenant("fb");
        String admin = Api.createTenant(tenant);
        UUID id = logPredictions(tenant, "price", 1).get(0);

        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(List.of(Map.of("predictionId", id.toString(), "value", 12.5)))
                .post("/api/v1/tenants/" + tenant + "/models/price/feedback")
                .then()
                .statusCode(202)
                .body("accepted", equalTo(1));
    }

    /** As Scorer predicts: the id is logged asynchronously, and the client sends its feedback at once. */
    @Test
    void shouldAcceptFeedbackSentTheMomentAfterThePredictionBeforeTheLogIsWritten() throws Exception {
        String tenant = Api.uniqueTenant("fb");
        String integration = Api.createKey(tenant, Api.createTenant(tenant), "integration");
        UUID id = TimeOrderedIds.next();
        assertThat(log.record(new LoggedPrediction(
                        id,
                        new TenantId(tenant),
                        "churn",
                        1,
                        Instant.now(),
                        new ValueKind[] {ValueKind.PRESENT},
                        new float[] {1},
                        new float[] {0.75f})))
                .isTrue();

        Api.as(integration)
                .contentType(ContentType.JSON)
                .body(List.of(Map.of("predictionId", id.toString(), "label", "yes")))
                .post("/api/v1/tenants/" + tenant + "/models/churn/feedback")
                .then()
                .statusCode(202)
                .body("accepted", equalTo(1))
                .body("unknownIds", empty())
                .body("pendingIds", empty());
        assertThat(feedbackRows(tenant)).isEqualTo(id + "=yes\n");
    }

    /**
     * An id missing from the log may be a prediction another node made a moment ago, still in that node's queue:
     * the client is told to send it again. An old one, or one that is no prediction id at all, is only unknown.
     */
    @Test
    void shouldMarkAMissingIdAsPendingOnlyWhileItsPredictionIsRecent() throws Exception {
        String tenant = Api.uniqueTenant("fb");
        String admin = Api.createTenant(tenant);
        UUID recent = TimeOrderedIds.next();
        UUID aMinuteOld = versionSevenIdAt(Instant.now().minus(Duration.ofMinutes(1)));
        UUID random = UUID.randomUUID();

        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(List.of(item(recent, "yes"), item(aMinuteOld, "yes"), item(random, "no")))
                .post("/api/v1/tenants/" + tenant + "/models/churn/feedback")
                .then()
                .statusCode(202)
                .body("accepted", equalTo(0))
                .body("unknownIds", containsInAnyOrder(recent.toString(), aMinuteOld.toString(), random.toString()))
                .body("pendingIds", containsInAnyOrder(recent.toString()));
        assertThat(feedbackRows(tenant)).isEmpty();
    }

    @Test
    void shouldRejectAnOutcomeObservedInTheFuture() throws Exception {
        String tenant = Api.uniqueTenant("fb");
        String admin = Api.createTenant(tenant);
        UUID id = logPredictions(tenant, "churn", 1).get(0);
        Instant tomorrow = Instant.now().plus(Duration.ofDays(1));

        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(List.of(Map.of("predictionId", id.toString(), "label", "yes", "observedAt", tomorrow.toString())))
                .post("/api/v1/tenants/" + tenant + "/models/churn/feedback")
                .then()
                .statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("detail", containsString("item 0 observedAt " + tomorrow + " is in the future"))
                .body("index", equalTo(0));
        assertThat(feedbackRows(tenant)).as("nothing written").isEmpty();
    }

    /** A version 7 UUID (RFC 9562) whose timestamp is {@code at}, as TimeOrderedIds would have minted then. */
    private static UUID versionSevenIdAt(Instant at) {
        long high = (at.toEpochMilli() << 16) | 0x7000L | 0x123L;
        return new UUID(high, 0x8000_0000_0000_0000L | 0x0456_789AL);
    }
}
