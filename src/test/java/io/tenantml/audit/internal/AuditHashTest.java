package io.tenantml.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditHashTest {

    private static final Instant AT = Instant.parse("2026-11-30T05:00:00.123456Z");

    private static AuditHash.Content content(String target, Map<String, String> summary) {
        return new AuditHash.Content(
                "acme", 2, AT, "api-key", "key:k1", "admin", "req-1", "model.alias.moved", target, summary);
    }

    @Test
    void shouldHashThePreviousHashAndTheCanonicalArray() throws Exception {
        // The canonical form written out by hand: a change of it is a change of every stored hash.
        String canonical = "[\"acme\",2,\"2026-11-30T05:00:00.123456Z\",\"api-key\",\"key:k1\",\"admin\",\"req-1\","
                + "\"model.alias.moved\",\"model=m, alias=production\",{\"from\":\"1\",\"to\":\"2\"}]";
        String expected = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest((AuditHash.GENESIS + "\n" + canonical).getBytes(StandardCharsets.UTF_8)));

        assertThat(AuditHash.hash(
                        AuditHash.GENESIS, content("model=m, alias=production", Map.of("to", "2", "from", "1"))))
                .isEqualTo(expected);
    }

    @Test
    void shouldNotDependOnTheOrderSummaryKeysCameIn() {
        Map<String, String> one = new LinkedHashMap<>();
        one.put("a", "1");
        one.put("b", "2");
        Map<String, String> other = new LinkedHashMap<>();
        other.put("b", "2");
        other.put("a", "1");
        assertThat(AuditHash.hash(AuditHash.GENESIS, content("t", one)))
                .isEqualTo(AuditHash.hash(AuditHash.GENESIS, content("t", other)));
    }

    @Test
    void shouldChangeWithThePreviousHashAndWithAnyField() {
        String base = AuditHash.hash(AuditHash.GENESIS, content("t", Map.of("a", "1")));
        assertThat(AuditHash.hash("1".repeat(64), content("t", Map.of("a", "1"))))
                .isNotEqualTo(base);
        assertThat(AuditHash.hash(AuditHash.GENESIS, content("u", Map.of("a", "1"))))
                .isNotEqualTo(base);
        assertThat(AuditHash.hash(AuditHash.GENESIS, content("t", Map.of("a", "2"))))
                .isNotEqualTo(base);
        // a value moved between fields is a different entry: the array keeps the fields apart
        assertThat(AuditHash.hash(AuditHash.GENESIS, content("t,a", Map.of()))).isNotEqualTo(base);
    }
}
