package io.tenantml.webhooks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.shared.TenantId;
import io.tenantml.webhooks.StandardWebhooks;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The delivery job's choice of signing secrets at given instants (no waiting for an overlap to end): the previous
 * secret signs beside the current one until its expiry, exclusive, even before the job's sweep has forgotten it.
 */
@QuarkusTest
class RotationSignatureResourceTest {

    static final TenantId TENANT = new TenantId("acme");
    static final Instant UNTIL = Instant.parse("2030-01-02T03:04:05.123456Z");
    static final byte[] BODY = "{\"type\":\"test\"}".getBytes(StandardCharsets.UTF_8);
    static final long TIMESTAMP = 1_900_000_000L;

    @Inject
    DeliveryJob job;

    @Inject
    WebhookSecrets secrets;

    final UUID endpoint = UUID.randomUUID();
    final String id = UUID.randomUUID().toString();
    final String current = StandardWebhooks.newSecret();
    final String previous = StandardWebhooks.newSecret();
    final DeliveryStore.Claimed claimed =
            new DeliveryStore.Claimed(UUID.randomUUID(), TENANT, endpoint, UUID.randomUUID(), 1, UNTIL);

    DeliveryStore.Message message(String storedPrevious, Instant until) {
        return new DeliveryStore.Message(
                "https://hooks.example.com",
                secrets.seal(current, TENANT, endpoint),
                storedPrevious,
                until,
                true,
                "test",
                "{}",
                Instant.EPOCH);
    }

    @Test
    void shouldSignWithThePreviousSecretUntilItsExpiryAndNeverAtOrAfterIt() throws Exception {
        DeliveryStore.Message m = message(secrets.sealPrevious(previous, TENANT, endpoint, UNTIL), UNTIL);
        String both = StandardWebhooks.sign(current, id, TIMESTAMP, BODY) + " "
                + StandardWebhooks.sign(previous, id, TIMESTAMP, BODY);
        String alone = StandardWebhooks.sign(current, id, TIMESTAMP, BODY);

        assertThat(job.signature(m, claimed, UNTIL.minusNanos(1000), id, TIMESTAMP, BODY))
                .as("a microsecond before the end")
                .isEqualTo(both);
        assertThat(job.signature(m, claimed, UNTIL, id, TIMESTAMP, BODY))
                .as("at the end")
                .isEqualTo(alone);
        assertThat(job.signature(m, claimed, UNTIL.plusSeconds(3600), id, TIMESTAMP, BODY))
                .isEqualTo(alone);
        assertThat(job.signature(message(null, null), claimed, UNTIL.minusSeconds(3600), id, TIMESTAMP, BODY))
                .as("no rotation")
                .isEqualTo(alone);
    }

    @Test
    void shouldFailTheAttemptWhenThePreviousSecretWasStoredForAnotherExpiry() {
        // an overlap made longer in the table than the rotation made it: the value does not decrypt for it
        Instant later = UNTIL.plusSeconds(86_400);
        DeliveryStore.Message m = message(secrets.sealPrevious(previous, TENANT, endpoint, UNTIL), later);

        assertThatThrownBy(() -> job.signature(m, claimed, UNTIL.minusSeconds(1), id, TIMESTAMP, BODY))
                .isInstanceOf(SecretCipher.Unreadable.class)
                .extracting(e -> ((SecretCipher.Unreadable) e).reason())
                .isEqualTo("the previous signing secret does not decrypt for this endpoint");
    }
}
