package io.tenantml.dataset.internal;

import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * An upload body copied to a temp file as it arrives, with its size and SHA-256. Validation reads the
 * file (twice when a schema must be inferred) instead of holding the body in memory.
 */
public record Spool(Path path, long bytes, String sha256) {

    public static Spool of(InputStream body, Path dir, long maxBytes) throws IOException {
        Path file = Files.createTempFile(dir, "upload-", ".spool");
        MessageDigest digest = Ingestion.sha256();
        long total = 0;
        boolean ok = false;
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = body.read(buffer)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw new ProblemException(Problem.of(413, "limit-exceeded", "Content too large",
                                    "The upload is larger than " + maxBytes + " bytes (limit maxBodyBytes = " + maxBytes + ")")
                            .with("limit", "maxBodyBytes").with("limitValue", maxBytes));
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            ok = true;
        } finally {
            if (!ok) {
                Files.deleteIfExists(file);
            }
        }
        return new Spool(file, total, HexFormat.of().formatHex(digest.digest()));
    }

    public void delete() throws IOException {
        Files.deleteIfExists(path);
    }

    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(Ingestion.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
