package io.tenantml;

import static io.tenantml.testing.Concurrently.assertOneCreatedTheRestReplaced;
import static io.tenantml.testing.Concurrently.assertOneDeletedTheRest404;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.experts.ExpertsData;
import io.tenantml.testing.Api;
import io.tenantml.testing.Concurrently;
import io.tenantml.testing.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The same write from several clients at once, on a resource that does not exist yet: a PUT creates its row when
 * it is missing, so without a lock on the name the clients would both insert it and all but one would fail on the
 * unique key (they were answered 500). Each PUT must be answered as if it had come alone (201 for the one that
 * created, 200 for the others), and a POST that only one may win (a model's one active training) must refuse
 * the others with the 409 each would get alone (naming the winner), never 500.
 */
@QuarkusTest
public class ConcurrentWritesResourceTest {

    private static final int CLIENTS = 8;
    private static final Map<String, Object> PENGUINS = Map.of(
            "dataset", "penguins", "target", "Species", "objective", "multiclass", "params", Map.of("numRounds", 5));

    static String tenant;
    static String admin;

    @BeforeEach
    void tenantWithATrainedModel() {
        if (tenant != null) {
            return;
        }
        tenant = Api.uniqueTenant("concurrent");
        admin = Api.createTenant(tenant);
        Fixtures.uploadResource(tenant, admin, "penguins", "penguins.json");
        Fixtures.defineModel(tenant, admin, "species", PENGUINS, false);
        Fixtures.train(tenant, admin, "species");
    }

    /** The answers of {@link #CLIENTS} runs of {@code request}, released together. */
    private static List<Response> atOnce(Supplier<Response> request) throws Exception {
        return Concurrently.atOnce(CLIENTS, client -> request.get());
    }

    @Test
    void shouldAnswerTheSamePutOfANewModelSpecFromEveryClientAsIfItCameAlone() throws Exception {
        assertOneCreatedTheRestReplaced(atOnce(() -> Fixtures.putModel(tenant, admin, "twice", PENGUINS)));
        Api.as(admin).get(Fixtures.base(tenant) + "/models/twice").then().statusCode(200);
    }

    @Test
    void shouldAnswerTheSamePutOfANewRecommenderFromEveryClientAsIfItCameAlone() throws Exception {
        ExpertsData.declare(tenant, admin, ExpertsData.DATASET);
        Fixtures.uploadVersion(
                tenant, admin, ExpertsData.DATASET, "text/csv", ExpertsData.slice(0, 5, UnaryOperator.identity()));
        assertOneCreatedTheRestReplaced(
                atOnce(() -> ExpertsData.put(tenant, admin, "twice", ExpertsData.spec(ExpertsData.DATASET))));
    }

    @Test
    void shouldSetANewAliasForEveryClientAtOnceAndRecordTheOneMove() throws Exception {
        String alias = Fixtures.base(tenant) + "/models/species/aliases/staging";
        List<Response> answers = atOnce(() -> Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("version", 1))
                .put(alias));
        assertThat(answers.stream().map(Response::statusCode).toList())
                .as(answers.stream().map(Response::asString).toList().toString())
                .containsOnly(200);
        Api.as(admin)
                .get(Fixtures.base(tenant) + "/models/species/aliases")
                .then()
                .statusCode(200)
                .body("items.find { it.alias == 'staging' }.version", equalTo(1));
        Response history = Api.as(admin).get(Fixtures.base(tenant) + "/models/species/alias-history?limit=100");
        // one client sets it; to the others it names version 1 already, and nothing moves
        assertThat(history.<List<String>>path("items.findAll { it.alias == 'staging' }.alias"))
                .as(history.asString())
                .hasSize(1);
    }

    @Test
    void shouldSetATenantsFirstPlanForEveryOperatorAtOnce() throws Exception {
        String other = Api.uniqueTenant("concplan");
        Api.createTenant(other);
        List<Response> answers = atOnce(() -> Api.asOperator()
                .contentType(ContentType.JSON)
                .body(Map.of("limits", Map.of("models", 7)))
                .put("/api/v1/tenants/" + other + "/plan"));
        assertThat(answers.stream().map(Response::statusCode).toList())
                .as(answers.stream().map(Response::asString).toList().toString())
                .containsOnly(200);
    }

    @Test
    void shouldDeclareANewDatasetOnceAndAnswerTheOtherDeclarationsAsReplacements() throws Exception {
        assertOneCreatedTheRestReplaced(atOnce(() -> Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("description", "declared by eight clients"))
                .put(Fixtures.datasetPath(tenant, "declared"))));
    }

    @Test
    void shouldDeleteAModelOnceAndAnswerTheOtherDeletes404() throws Exception {
        Fixtures.defineModel(tenant, admin, "doomed", PENGUINS, false);
        List<Response> answers = atOnce(() -> Api.as(admin).delete(Fixtures.base(tenant) + "/models/doomed"));
        assertOneDeletedTheRest404(answers);
    }

    @Test
    void shouldDeleteARecommenderOnceAndAnswerTheOtherDeletes404() throws Exception {
        ExpertsData.declare(tenant, admin, "doomed-answers");
        Fixtures.uploadVersion(
                tenant, admin, "doomed-answers", "text/csv", ExpertsData.slice(0, 5, UnaryOperator.identity()));
        ExpertsData.put(tenant, admin, "doomed", ExpertsData.spec("doomed-answers"))
                .then()
                .statusCode(201);
        List<Response> answers = atOnce(() -> Api.as(admin).delete(ExpertsData.path(tenant, "doomed")));
        assertOneDeletedTheRest404(answers);
    }

    @Test
    void shouldOffboardATenantOnceAndAnswerTheOtherOffboardings404() throws Exception {
        String leaving = Api.uniqueTenant("leaving");
        Api.createTenant(leaving);
        List<Response> answers = atOnce(() -> Api.asOperator().delete("/api/v1/tenants/" + leaving));
        assertOneDeletedTheRest404(answers);
        Api.asOperator().get("/api/v1/tenants/" + leaving).then().statusCode(404);
    }

    @Test
    void shouldDeleteADatasetOnceAndAnswerTheOtherDeletes404() throws Exception {
        Fixtures.uploadResource(tenant, admin, "short-lived", "penguins.json");
        List<Response> answers = atOnce(() -> Api.as(admin).delete(Fixtures.datasetPath(tenant, "short-lived")));
        assertOneDeletedTheRest404(answers);
        Api.as(admin).get(Fixtures.datasetPath(tenant, "short-lived")).then().statusCode(404);
    }

    @Test
    void shouldStartOneTrainingOfAModelAndRefuseTheOthersAsIfEachCameAloneNamingTheWinner() throws Exception {
        List<Response> answers = atOnce(() -> Api.as(admin)
                .contentType(ContentType.JSON)
                .body("{}")
                .post(Fixtures.base(tenant) + "/models/species/trainings"));
        String all = answers.stream().map(Response::asString).toList().toString();
        assertThat(answers.stream().map(Response::statusCode).toList())
                .as(all)
                .containsOnly(202, 409)
                .containsOnlyOnce(202);
        Response started =
                answers.stream().filter(r -> r.statusCode() == 202).findFirst().orElseThrow();
        String winner = started.path("id");
        // the answer a start sent alone gets while another runs: training-in-progress naming the running one
        // (not the generic concurrent-change that said only "retry")
        for (Response r : answers) {
            if (r.statusCode() == 409) {
                assertThat(r.contentType()).as(all).startsWith("application/problem+json");
                assertThat(r.<String>path("type")).as(all).endsWith("/training-in-progress");
                assertThat(r.<String>path("running")).as(all).isEqualTo(winner);
            }
        }
        Fixtures.awaitEnd(admin, Fixtures.trainingPath(tenant, winner));
    }
}
