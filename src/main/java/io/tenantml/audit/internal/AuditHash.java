package io.tenantml.audit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * The hash of a chain entry: SHA-256 (hex) over the previous entry's hash, a newline and the entry's
 * canonical content. The canonical content is a JSON array in a fixed order with the summary's keys
 * sorted, written by a mapper of its own (no setting of the REST mapper can change a stored hash):
 * {@code [chain, seq, at, actorKind, actor, role, requestId, action, target, {summary}]}, with {@code at}
 * in ISO-8601 at microsecond precision (what PostgreSQL keeps).
 */
public final class AuditHash {

    /** The previous hash of a chain's first entry. */
    public static final String GENESIS = "0".repeat(64);

    private static final ObjectMapper CANONICAL = new ObjectMapper();

    private AuditHash() {}

    /** Entry content as hashed; every argument is part of the chain. */
    public record Content(
            String chain,
            long seq,
            Instant at,
            String actorKind,
            String actor,
            String role,
            String requestId,
            String action,
            String target,
            java.util.Map<String, String> summary) {}

    public static String hash(String prevHash, Content c) {
        String canonical;
        try {
            canonical = CANONICAL.writeValueAsString(Arrays.asList(
                    c.chain(),
                    c.seq(),
                    c.at().toString(),
                    c.actorKind(),
                    c.actor(),
                    c.role(),
                    c.requestId(),
                    c.action(),
                    c.target(),
                    new TreeMap<>(c.summary())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prevHash.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            return HexFormat.of().formatHex(sha.digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
