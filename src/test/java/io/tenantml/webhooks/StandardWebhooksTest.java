package io.tenantml.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class StandardWebhooksTest {

    // Key bytes 0..31; the expected value was computed independently with Python's hmac module:
    // base64(hmac.new(bytes(range(32)), b'msg_p5jXN8AQM9LWM0D4loKWxJek.1674087231.{"test": 2432232314}',
    //        hashlib.sha256).digest())
    private static final String SECRET = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldSignIdTimestampAndBodyAsTheSpecificationsHmacSha256() {
        assertThat(StandardWebhooks.sign(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1674087231L, BODY))
                .isEqualTo("v1,j/spSmT4ttEHfxQPurmbwpSKp4ErpMW/eUOEuXwF/gE=");
    }

    @Test
    void shouldVerifyOneOfSeveralSignaturesAndRefuseAChangedBodyOrTimestamp() {
        String signature = StandardWebhooks.sign(SECRET, "id-1", 1700000000L, BODY);
        String header = "v1,AAAA " + signature;
        assertThat(StandardWebhooks.verify(SECRET, "id-1", 1700000000L, BODY, header))
                .isTrue();
        assertThat(StandardWebhooks.verify(SECRET, "id-1", 1700000001L, BODY, header))
                .isFalse();
        assertThat(StandardWebhooks.verify(SECRET, "id-2", 1700000000L, BODY, header))
                .isFalse();
        assertThat(StandardWebhooks.verify(SECRET, "id-1", 1700000000L, "{}".getBytes(), header))
                .isFalse();
        assertThat(StandardWebhooks.verify(SECRET, "id-1", 1700000000L, BODY, null))
                .isFalse();
    }

    @Test
    void shouldSignWithEachSecretInOrderSpaceSeparatedSoThatEitherVerifies() {
        String other = StandardWebhooks.newSecret();
        String header =
                StandardWebhooks.sign(List.of(SECRET, other), "msg_p5jXN8AQM9LWM0D4loKWxJek", 1674087231L, BODY);

        assertThat(header)
                .isEqualTo("v1,j/spSmT4ttEHfxQPurmbwpSKp4ErpMW/eUOEuXwF/gE= "
                        + StandardWebhooks.sign(other, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1674087231L, BODY));
        assertThat(StandardWebhooks.verify(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1674087231L, BODY, header))
                .isTrue();
        assertThat(StandardWebhooks.verify(other, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1674087231L, BODY, header))
                .isTrue();
        assertThat(StandardWebhooks.verify(
                        StandardWebhooks.newSecret(), "msg_p5jXN8AQM9LWM0D4loKWxJek", 1674087231L, BODY, header))
                .isFalse();
        assertThatThrownBy(() -> StandardWebhooks.sign(List.of(), "id", 1L, BODY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldGenerateSecretsOfThirtyTwoRandomBytesWithThePrefix() {
        String a = StandardWebhooks.newSecret();
        assertThat(a).startsWith("whsec_");
        assertThat(StandardWebhooks.key(a)).hasSize(32);
        assertThat(StandardWebhooks.newSecret()).isNotEqualTo(a);
    }

    @Test
    void shouldRefuseSecretsWithoutPrefixNotBase64OrOfTheWrongLength() {
        assertThatThrownBy(() -> StandardWebhooks.key("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="))
                .hasMessageContaining("whsec_");
        assertThatThrownBy(() -> StandardWebhooks.key("whsec_not base64!")).hasMessageContaining("base64");
        String short23 = "whsec_" + Base64.getEncoder().encodeToString(new byte[23]);
        String long65 = "whsec_" + Base64.getEncoder().encodeToString(new byte[65]);
        assertThatThrownBy(() -> StandardWebhooks.key(short23)).hasMessageContaining("holds 23");
        assertThatThrownBy(() -> StandardWebhooks.key(long65)).hasMessageContaining("holds 65");
        assertThat(StandardWebhooks.key("whsec_" + Base64.getEncoder().encodeToString(new byte[24])))
                .hasSize(24);
    }
}
