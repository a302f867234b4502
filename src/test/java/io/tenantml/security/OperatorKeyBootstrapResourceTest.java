package io.tenantml.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tenantml.storage.StorageConfig;
import io.tenantml.testing.Api;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(OperatorKeyBootstrapResourceTest.WithoutBootstrapSecret.class)
class OperatorKeyBootstrapResourceTest {

    public static class WithoutBootstrapSecret implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tenantml.security.bootstrap-operator-key", "");
        }
    }

    @Inject
    StorageConfig storage;

    @Test
    void shouldGenerateOperatorKeyFileReadableOnlyByOwner() throws Exception {
        Path file = storage.dataDir().resolve("operator.key");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        String key = Files.readString(file).trim();
        assertThat(key).startsWith("tml_");

        Api.as(key).get("/api/v1/tenants").then().statusCode(200);
        Api.as(Api.OPERATOR_KEY).get("/api/v1/tenants").then().statusCode(401); // no bootstrap secret configured
    }
}
