package io.tenantml.webhooks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantml.shared.TenantId;
import io.tenantml.webhooks.StandardWebhooks;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static final TenantId ACME = new TenantId("acme");
    private static final UUID ENDPOINT = UUID.randomUUID();

    private static byte[] key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Test
    void shouldOpenWhatItSealedForTheSameTenantAndEndpointUnderAFreshNonceEachTime() throws Exception {
        SecretCipher cipher = new SecretCipher(key());
        String secret = StandardWebhooks.newSecret();

        String sealed = cipher.seal(secret, ACME, ENDPOINT);
        String again = cipher.seal(secret, ACME, ENDPOINT);

        assertThat(sealed).startsWith("v1:" + cipher.keyId() + ":").doesNotContain(secret.substring(6));
        assertThat(cipher.keyId()).matches("[0-9a-f]{16}");
        assertThat(again).as("a nonce of its own").isNotEqualTo(sealed);
        assertThat(cipher.open(sealed, ACME, ENDPOINT)).isEqualTo(secret);
        assertThat(cipher.open(again, ACME, ENDPOINT)).isEqualTo(secret);
        String longest = "whsec_" + Base64.getEncoder().encodeToString(new byte[StandardWebhooks.MAX_SECRET_BYTES]);
        assertThat(cipher.seal(longest, ACME, ENDPOINT))
                .as("fits V105's column")
                .hasSizeLessThanOrEqualTo(400);
    }

    @Test
    void shouldRefuseAValueWhoseCiphertextWasAltered() {
        SecretCipher cipher = new SecretCipher(key());
        String sealed = cipher.seal(StandardWebhooks.newSecret(), ACME, ENDPOINT);
        int at = sealed.lastIndexOf(':') + 1;
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(at));
        bytes[bytes.length / 2] ^= 1;
        String altered = sealed.substring(0, at) + Base64.getEncoder().encodeToString(bytes);

        assertThatThrownBy(() -> cipher.open(altered, ACME, ENDPOINT))
                .isInstanceOf(SecretCipher.Unreadable.class)
                .hasMessageContaining("does not decrypt for this endpoint")
                .extracting(e -> ((SecretCipher.Unreadable) e).reason())
                .isEqualTo("the signing secret does not decrypt for this endpoint");
        assertThatThrownBy(() -> cipher.open(sealed.substring(0, at) + "AAAA", ACME, ENDPOINT))
                .isInstanceOf(SecretCipher.Unreadable.class)
                .hasMessageContaining("damaged");
    }

    @Test
    void shouldRefuseAValueOfAnotherEndpointOrAnotherTenant() {
        SecretCipher cipher = new SecretCipher(key());
        String sealed = cipher.seal(StandardWebhooks.newSecret(), ACME, ENDPOINT);

        assertThatThrownBy(() -> cipher.open(sealed, ACME, UUID.randomUUID()))
                .isInstanceOf(SecretCipher.Unreadable.class)
                .hasMessageContaining("copied from another endpoint's row");
        assertThatThrownBy(() -> cipher.open(sealed, new TenantId("acme-x"), ENDPOINT))
                .isInstanceOf(SecretCipher.Unreadable.class)
                .hasMessageContaining("copied from another endpoint's row");
    }

    @Test
    void shouldSayTheKeyDoesNotMatchWhenOpenedUnderAnotherKey() {
        SecretCipher sealedWith = new SecretCipher(key());
        SecretCipher configured = new SecretCipher(key());
        String sealed = sealedWith.seal(StandardWebhooks.newSecret(), ACME, ENDPOINT);

        assertThatThrownBy(() -> configured.open(sealed, ACME, ENDPOINT))
                .isInstanceOf(SecretCipher.Unreadable.class)
                .hasMessageStartingWith("the key does not match")
                .hasMessageContaining(sealedWith.keyId())
                .hasMessageContaining(configured.keyId())
                .hasMessageContaining("tenantml.webhooks.secret-key")
                .extracting(e -> ((SecretCipher.Unreadable) e).reason())
                .asString()
                .contains("webhook key does not match")
                .as("the tenant's log does not get the key's fingerprint")
                .doesNotContain(configured.keyId());
    }

    @Test
    void shouldOpenAPreviousSecretOnlyAsThePreviousSecretOfItsEndpointUntilItsOwnExpiry() throws Exception {
        SecretCipher cipher = new SecretCipher(key());
        String secret = StandardWebhooks.newSecret();
        Instant until = Instant.parse("2030-01-02T03:04:05.123456Z");

        String previous = cipher.sealPrevious(secret, ACME, ENDPOINT, until);
        String current = cipher.seal(secret, ACME, ENDPOINT);

        assertThat(previous).startsWith("v1:" + cipher.keyId() + ":").doesNotContain(secret.substring(6));
        assertThat(cipher.openPrevious(previous, ACME, ENDPOINT, until)).isEqualTo(secret);
        // the two columns' values cannot be swapped
        assertThatThrownBy(() -> cipher.open(previous, ACME, ENDPOINT))
                .isInstanceOf(SecretCipher.Unreadable.class)
                .hasMessageContaining("does not decrypt for this endpoint");
        assertThatThrownBy(() -> cipher.openPrevious(current, ACME, ENDPOINT, until))
                .isInstanceOf(SecretCipher.Unreadable.class)
                .extracting(e -> ((SecretCipher.Unreadable) e).reason())
                .isEqualTo("the previous signing secret does not decrypt for this endpoint");
        // nor its overlap made longer (by a microsecond), nor moved to another endpoint or tenant
        assertThatThrownBy(() -> cipher.openPrevious(previous, ACME, ENDPOINT, until.plusNanos(1000)))
                .isInstanceOf(SecretCipher.Unreadable.class)
                .hasMessageContaining("its expiry changed");
        assertThatThrownBy(() -> cipher.openPrevious(previous, ACME, UUID.randomUUID(), until))
                .isInstanceOf(SecretCipher.Unreadable.class);
        assertThatThrownBy(() -> cipher.openPrevious(previous, new TenantId("acme-x"), ENDPOINT, until))
                .isInstanceOf(SecretCipher.Unreadable.class);
    }

    @Test
    void shouldRefuseASecretStoredInClear() {
        SecretCipher cipher = new SecretCipher(key());
        String clear = StandardWebhooks.newSecret();

        assertThat(SecretCipher.encrypted(clear)).isFalse();
        assertThatThrownBy(() -> cipher.open(clear, ACME, ENDPOINT))
                .isInstanceOf(SecretCipher.Unreadable.class)
                .hasMessageContaining("stored in clear");
    }

    @Test
    void shouldRefuseAKeyOfAnyLengthButThirtyTwoBytes() {
        assertThatThrownBy(() -> new SecretCipher(new byte[16])).hasMessageContaining("32 bytes");
    }
}
