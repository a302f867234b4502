package io.tenantml.training;

import static io.tenantml.training.TrainingResourceTest.base;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.ManifestSectionHandler;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import io.tenantml.training.internal.ModelManifestSection;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ModelManifestSectionResourceTest {

    private static final String SECTION = """
            penguin-species:
              dataset: penguins
              target: Species
              objective: multiclass
              params: {numRounds: 20, seed: 42}
            """;

    @Inject
    ModelManifestSection handler;

    @Inject
    TenantScope scope;

    private static JsonNode yaml(String text) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(text);
    }

    private void apply(String tenant, JsonNode section) throws Exception {
        scope.callChecked(new TenantId(tenant), () -> {
            handler.apply(new TenantId(tenant), section, Path.of("."));
            return null;
        });
    }

    @Test
    void shouldTrainADeclaredModelByItselfOnceAcrossRestarts() throws Exception {
        String tenant = Api.uniqueTenant("manifest");
        String admin = Api.createTenant(tenant);
        TrainingData.penguins(tenant, admin, "penguins");

        apply(tenant, yaml(SECTION));
        // the production alias is set before the run is marked succeeded, so wait for the run's end, not the alias
        String trainings = base(tenant) + "/trainings?model=penguin-species";
        await("the declared model's training to end")
                .atMost(Fixtures.JOB_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    List<String> statuses = Api.as(admin).get(trainings).path("items.status");
                    return !statuses.isEmpty() && !Fixtures.ACTIVE.contains(statuses.get(0));
                });
        Api.as(admin)
                .get(trainings)
                .then()
                .body("items.size()", equalTo(1))
                .body("items[0].trigger", equalTo("manifest"))
                .body("items[0].status", equalTo("succeeded"));
        assertThat(Api.as(admin).get(base(tenant) + "/models/penguin-species").<Integer>path("aliases.production"))
                .isNotNull();

        // the next start applies the same manifest: nothing new is trained or written
        String before =
                Api.as(admin).get(base(tenant) + "/models/penguin-species").asString();
        apply(tenant, yaml(SECTION));
        Api.as(admin)
                .get(base(tenant) + "/trainings?model=penguin-species")
                .then()
                .body("items.size()", equalTo(1));
        assertThat(Api.as(admin).get(base(tenant) + "/models/penguin-species").asString())
                .isEqualTo(before);
    }

    @Test
    void shouldReportTheWrongFieldOfADeclaredModel() throws Exception {
        String tenant = Api.uniqueTenant("manifestbad");
        String admin = Api.createTenant(tenant);
        TrainingData.penguins(tenant, admin, "penguins");
        JsonNode wrong = yaml(SECTION.replace("objective: multiclass", "objective: regression"));
        assertThatThrownBy(() -> apply(tenant, wrong))
                .isInstanceOfSatisfying(
                        ManifestSectionHandler.ManifestException.class,
                        e -> assertThat(e.field()).isEqualTo("penguin-species.target"));
        assertThat(Api.as(admin).get(base(tenant) + "/models").<List<?>>path("items"))
                .isEmpty();
    }
}
