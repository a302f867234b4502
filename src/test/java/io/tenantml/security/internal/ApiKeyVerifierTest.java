package io.tenantml.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.security.CredentialVerifier.Rejected;
import io.tenantml.security.JwtShape;
import io.tenantml.security.SecurityConfig;
import io.tenantml.shared.cluster.ClusterConfig;
import io.tenantml.shared.cluster.ClusterEvents;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiKeyVerifierTest {

    /** A credential store that fails the test if anything asks it for data. */
    static final class UntouchableStore extends CredentialStore {
        int lookups;

        @Override
        public Optional<KeyRecord> findTenantKey(byte[] keyHash) {
            lookups++;
            return Optional.empty();
        }

        @Override
        public Optional<KeyRecord> findOperatorKey(byte[] keyHash) {
            lookups++;
            return Optional.empty();
        }
    }

    // the verifier never reads the failed-authentication limits: the filter does
    private static final SecurityConfig NO_BOOTSTRAP = new TestSecurityConfig(
            Optional.of("0123456789abcdef0123456789abcdef"), Optional.empty(), Duration.ofSeconds(2), null);

    private static final ClusterConfig CLUSTER = new ClusterConfig() {
        @Override
        public Duration cacheTtl() {
            return Duration.ofMinutes(1);
        }

        @Override
        public int cacheMaxEntries() {
            return 10;
        }

        @Override
        public Duration reconnectDelay() {
            return Duration.ofSeconds(1);
        }

        @Override
        public Duration outageGrace() {
            return Duration.ZERO;
        }

        @Override
        public Duration outageAcquisitionTimeout() {
            return Duration.ofMillis(200);
        }
    };

    private static KeyHasher hasher() {
        KeyHasher hasher = new KeyHasher();
        hasher.config = NO_BOOTSTRAP;
        hasher.init();
        return hasher;
    }

    @Test
    void shouldRefuseMistypedKeyWithoutAnyDatabaseLookup() {
        UntouchableStore store = new UntouchableStore();
        ApiKeyVerifier verifier =
                new ApiKeyVerifier(hasher(), store, NO_BOOTSTRAP, Clock.systemUTC(), new ClusterEvents(), CLUSTER);
        verifier.init();
        String key = new ApiKeyCodec(new SecureRandom()).newKey();
        String mistyped = key.substring(0, 10) + (key.charAt(10) == 'x' ? 'y' : 'x') + key.substring(11);

        assertThat(verifier.verify(mistyped)).isInstanceOf(Rejected.class);
        assertThat(verifier.verify(key.substring(0, key.length() - 1))).isInstanceOf(Rejected.class);
        assertThat(store.lookups).isZero();

        assertThat(verifier.verify(key)).isInstanceOf(Rejected.class); // well-formed but unknown
        assertThat(store.lookups).isEqualTo(2); // tenant keys, then operator keys
    }

    @Test
    void shouldGenerateKeysWithPrefix256BitsAndValidChecksum() {
        ApiKeyCodec codec = new ApiKeyCodec(new SecureRandom());
        for (int i = 0; i < 200; i++) {
            String key = codec.newKey();
            assertThat(key).startsWith("tml_").hasSize(ApiKeyCodec.LENGTH);
            assertThat(ApiKeyCodec.isWellFormed(key)).isTrue();
        }
        // 43 base62 characters hold 43 * log2(62) = 256.03 bits.
        assertThat(43 * Math.log(62) / Math.log(2)).isGreaterThanOrEqualTo(256);
    }

    @Test
    void shouldTellJwtsFromApiKeys() {
        assertThat(JwtShape.matches("eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl")).isTrue();
        assertThat(JwtShape.matches(new ApiKeyCodec(new SecureRandom()).newKey()))
                .isFalse();
        assertThat(JwtShape.matches("eyJhbGciOi.eyJzdWIiOiIx."))
                .as("unsecured JWS: empty signature")
                .isTrue();
        assertThat(JwtShape.matches(".eyJzdWIiOiIx.c2ln")).as("empty header").isFalse();
        assertThat(JwtShape.matches("eyJh..c2ln")).as("empty payload").isFalse();
        assertThat(JwtShape.matches("a.b.c.d")).as("four parts (JWE has five)").isFalse();
        assertThat(JwtShape.matches("a.b")).as("two parts").isFalse();
        assertThat(JwtShape.matches("a.b+/.c")).as("base64, not base64url").isFalse();
        assertThat(JwtShape.matches(null)).isFalse();
    }
}
