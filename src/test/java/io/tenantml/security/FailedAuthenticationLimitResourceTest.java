package io.tenantml.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tenantml.security.internal.ApiKeyCodec;
import io.tenantml.security.internal.CredentialStore;
import io.tenantml.security.internal.FailedAuthenticationLimiter;
import io.tenantml.security.internal.KeyHasher;
import io.tenantml.testing.Api;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: unknown keys cost credential lookups; failed authentications are limited per client address and
 * counted, while a key already verified keeps working from that address.
 */
@QuarkusTest
@TestProfile(FailedAuthenticationLimitResourceTest.FivePerMinute.class)
class FailedAuthenticationLimitResourceTest {

    public static class FivePerMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tenantml.security.failed-authentications.per-minute", "5");
        }
    }

    @Inject
    MeterRegistry registry;

    @Inject
    CredentialStore credentials;

    @Inject
    KeyHasher hasher;

    private double count(String name) {
        return registry.find(name).counter() == null
                ? 0
                : registry.find(name).counter().count();
    }

    // One test: every request of this class comes from 127.0.0.1, and a throttled address stays throttled.
    @Test
    void shouldRefuseAnAddressThatFailedTooOftenButNotTheCredentialsThatVerified() {
        String tenant = Api.uniqueTenant("limited");
        String admin = Api.createTenant(tenant);
        Api.as(admin).get("/api/v1/tenants/" + tenant).then().statusCode(200);
        // Operator keys kept in the database are looked up on every request: memory holds tenant keys only.
        String usedOperatorKey = storedOperatorKey("limiter-used");
        String unusedOperatorKey = storedOperatorKey("limiter-never-used");
        Api.as(usedOperatorKey).get("/api/v1/tenants").then().statusCode(200);
        double failuresBefore = count(FailedAuthenticationLimiter.FAILURES);

        for (int i = 0; i < 5; i++) {
            Api.as("tml_unknown_key_" + i + "_0123456789abcdefghijklmnopqrstuv")
                    .get("/api/v1/tenants/" + tenant)
                    .then()
                    .statusCode(401);
        }
        Api.as("tml_unknown_key_x_0123456789abcdefghijklmnopqrstuv")
                .get("/api/v1/tenants/" + tenant)
                .then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("status", equalTo(429));
        // No credential at all is refused the same way while the address is throttled.
        io.restassured.RestAssured.given()
                .get("/api/v1/tenants/" + tenant)
                .then()
                .statusCode(429);
        Api.as(unusedOperatorKey).get("/api/v1/tenants").then().statusCode(429);

        Api.as(admin).get("/api/v1/tenants/" + tenant).then().statusCode(200);
        Api.as(usedOperatorKey).get("/api/v1/tenants").then().statusCode(200);
        assertThat(count(FailedAuthenticationLimiter.FAILURES) - failuresBefore).isEqualTo(5);
        assertThat(count(FailedAuthenticationLimiter.THROTTLED)).isGreaterThanOrEqualTo(3);
    }

    private String storedOperatorKey(String name) {
        String key = new ApiKeyCodec(new SecureRandom()).newKey();
        credentials.insertOperatorKey(UUID.randomUUID(), name, key.substring(0, 8), hasher.hash(key), Instant.now());
        return key;
    }
}
