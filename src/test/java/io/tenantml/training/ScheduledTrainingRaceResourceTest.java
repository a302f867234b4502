package io.tenantml.training;

import static io.tenantml.testing.Fixtures.startTraining;
import static io.tenantml.training.TrainingResourceTest.awaitEnd;
import static io.tenantml.training.TrainingResourceTest.base;
import static io.tenantml.training.TrainingResourceTest.putModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.testing.Api;
import io.tenantml.testing.Concurrently;
import io.tenantml.testing.RunHolds;
import io.tenantml.testing.TestDatabase;
import io.tenantml.training.internal.TrainingRunner;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A cron fire that meets a training ending. The fire asked "which version did the last completed training use?"
 * before "is one queued or running?", so a training that ended between the two reads was neither, and the fire
 * trained the same dataset version again (CI saw three model versions where the schedule test expected two). The
 * interleaving is forced without sleeping: the training is held running, the test holds the training-start lock
 * while the fire arrives, lets the training end, then lets the fire go on.
 */
@QuarkusTest
class ScheduledTrainingRaceResourceTest {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Inject
    RunHolds holds;

    @Inject
    TenantScope scope;

    @Inject
    TrainingRunner runner;

    @Test
    void shouldSkipAFireThatMeetsATrainingEndingOnTheSameVersion() throws Exception {
        String tenant = Api.uniqueTenant("fire-race");
        String admin = Api.createTenant(tenant);
        TrainingData.penguins(tenant, admin, "penguins");
        putModel(tenant, admin, "species", TrainingLifecycleResourceTest.penguins(-1))
                .then()
                .statusCode(201);

        holds.hold(tenant);
        String first = startTraining(tenant, admin, "species");
        try (Connection lock = TestDatabase.ownerConnection(jdbcUrl)) {
            lock.setAutoCommit(false);
            TestDatabase.holdNameLock(lock, "training-start", tenant, "species");
            CompletableFuture<Void> fire = Concurrently.inBackground(() -> {
                scope.run(new TenantId(tenant), () -> runner.scheduled("species"));
                return null;
            });
            TestDatabase.awaitAdvisoryLockWaiters(lock, 1);
            holds.releaseAll(tenant);
            Map<String, Object> ended = awaitEnd(tenant, admin, first, new ConcurrentSkipListSet<>());
            assertThat(ended.get("status")).as("%s", ended).isEqualTo("succeeded");
            lock.commit();
            fire.get(60, TimeUnit.SECONDS);
        }

        List<Map<String, Object>> trainings = Api.as(admin)
                .get(base(tenant) + "/trainings?model=species")
                .then()
                .statusCode(200)
                .extract()
                .path("items");
        assertThat(trainings).as("%s", trainings).hasSize(2);
        assertThat(trainings)
                .as("%s", trainings)
                .filteredOn(t -> "skipped".equals(t.get("status")))
                .singleElement()
                .satisfies(t -> assertThat((String) t.get("error")).contains("no new data since training " + first));
        Api.as(admin).get(base(tenant) + "/models/species/versions").then().body("items.size()", equalTo(1));
    }
}
