package io.tenantml.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A write answers the instants the read after it answers: a client that keeps {@code updatedAt} from its PUT and
 * compares it with a later GET must not see a change nobody made.
 */
@QuarkusTest
class TimestampRoundTripResourceTest {

    @Test
    void shouldAnswerTheSameInstantsOnAWriteAsOnTheReadAfterIt() {
        String tenant = Api.uniqueTenant("instants");
        String admin = Api.createTenant(tenant);

        Response uploaded = Api.as(admin)
                .contentType("text/csv")
                .body("id,x,y\n1,0.5,1\n2,1.5,0\n".getBytes(StandardCharsets.UTF_8))
                .post(Fixtures.datasetPath(tenant, "points") + "/versions");
        assertThat(uploaded.statusCode()).as(uploaded.asString()).isEqualTo(201);
        assertThat(Api.as(admin)
                        .get(Fixtures.datasetPath(tenant, "points") + "/versions/1")
                        .<String>path("createdAt"))
                .as("the version's createdAt")
                .isEqualTo(uploaded.<String>path("createdAt"));

        Response put = Fixtures.putModel(
                tenant, admin, "m", Map.of("dataset", "points", "target", "y", "objective", "regression"));
        assertThat(put.statusCode()).as(put.asString()).isEqualTo(201);
        Response read = Api.as(admin).get(Fixtures.base(tenant) + "/models/m");
        assertThat(read.<String>path("createdAt")).as("the model's createdAt").isEqualTo(put.path("createdAt"));
        assertThat(read.<String>path("updatedAt")).as("the model's updatedAt").isEqualTo(put.path("updatedAt"));

        Response issued = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "instants", "role", "integration"))
                .post(Fixtures.base(tenant) + "/api-keys");
        assertThat(issued.statusCode()).as(issued.asString()).isEqualTo(201);
        assertThat(Api.as(admin)
                        .get(Fixtures.base(tenant) + "/api-keys")
                        .<String>path("items.find { it.name == 'instants' }.createdAt"))
                .as("the key's createdAt")
                .isEqualTo(issued.<String>path("createdAt"));
    }
}
