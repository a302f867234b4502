package io.tenantml.training;

import static io.tenantml.testing.Fixtures.startTraining;
import static io.tenantml.training.TrainingResourceTest.awaitEnd;
import static io.tenantml.training.TrainingResourceTest.base;
import static io.tenantml.training.TrainingResourceTest.putModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.testing.Api;
import io.tenantml.testing.Concurrently;
import io.tenantml.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Deleting a model while its training runs (a concurrency probe found the deleted model's version, alias and file
 * outliving the 204, and a model created again under the name serving it, or answering 500 for its lost file).
 * The interleaving is forced without sleeping: the test holds the model's name lock, the one a delete, a PUT and a
 * registration take, so that the delete and the model's re-creation queue first and the finished training behind
 * them.
 */
@QuarkusTest
class ModelDeleteDuringRunsResourceTest {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void shouldRegisterNothingOfATrainingThatFinishesAfterItsModelWasDeletedAndCreatedAgain() throws Exception {
        String tenant = Api.uniqueTenant("deleted-under");
        String admin = Api.createTenant(tenant);
        TrainingData.penguins(tenant, admin, "penguins");
        putModel(tenant, admin, "species", TrainingLifecycleResourceTest.penguins(0.0))
                .then()
                .statusCode(201);

        String training;
        try (Connection lock = TestDatabase.ownerConnection(jdbcUrl)) {
            lock.setAutoCommit(false);
            TestDatabase.holdNameLock(lock, "model-spec", tenant, "species");
            CompletableFuture<Integer> delete = Concurrently.inBackground(
                    () -> Api.as(admin).delete(base(tenant) + "/models/species").statusCode());
            TestDatabase.awaitAdvisoryLockWaiters(lock, 1);
            // and the model created again under its name, before the training registers
            CompletableFuture<Integer> createdAgain = Concurrently.inBackground(
                    () -> putModel(tenant, admin, "species", TrainingLifecycleResourceTest.penguins(0.0))
                            .statusCode());
            TestDatabase.awaitAdvisoryLockWaiters(lock, 2);
            training = startTraining(tenant, admin, "species");
            // trained, and waiting to register behind the delete and the new model
            TestDatabase.awaitAdvisoryLockWaiters(lock, 3);
            lock.commit();
            assertThat(delete.get(60, TimeUnit.SECONDS)).isEqualTo(204);
            assertThat(createdAgain.get(60, TimeUnit.SECONDS)).isEqualTo(201);
        }

        Map<String, Object> ended = awaitEnd(tenant, admin, training, new ConcurrentSkipListSet<>());
        assertThat(ended.get("status")).as("%s", ended).isEqualTo("failed");
        assertThat(ended.get("errorCode")).as("%s", ended).isEqualTo("model-deleted");
        try (Connection owner = TestDatabase.ownerConnection(jdbcUrl)) {
            for (String table : List.of("model_version", "model_alias", "model_reference")) {
                assertThat(query(
                                owner,
                                "select count(*) from " + table + " where tenant_id = ? and model = ?",
                                tenant,
                                "species"))
                        .as(table)
                        .isZero();
            }
        }
        Api.as(admin)
                .get(base(tenant) + "/models/species/versions")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(0));
    }

    private static long query(Connection c, String sql, String... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1) instanceof Number n ? n.longValue() : 0;
            }
        }
    }
}
