package io.tenantml.dataset.internal;

import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An upload body copied to a temp file as it arrives, with its size and SHA-256. Validation reads the
 * file (once; a second time only when a first version's guessed schema is not confirmed) instead of
 * holding the body in memory.
 */
public record Spool(Path path, long bytes, String sha256) {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Spool.class);

    public static Spool of(InputStream body, Path dir, long maxBytes) throws IOException {
        return receive(body, create(dir), maxBytes, total -> {});
    }

    /** A new, empty spool file in {@code dir} (a work file the stale sweep knows). */
    public static Path create(Path dir) throws IOException {
        return Files.createTempFile(dir, "upload-", ".spool");
    }

    /**
     * Copies {@code body} into {@code file}, telling {@code written} the total after each write (the bytes up
     * to it are in the file and are valid UTF-8 except perhaps a sequence cut at the end). Deletes the file when
     * it fails.
     */
    public static Spool receive(InputStream body, Path file, long maxBytes, java.util.function.LongConsumer written)
            throws IOException {
        MessageDigest digest = Ingestion.sha256();
        long total = 0;
        Utf8Check utf8 = new Utf8Check();
        boolean ok = false;
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = body.read(buffer)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw new ProblemException(Problem.of(
                                    413,
                                    "limit-exceeded",
                                    "Limit exceeded",
                                    "The upload is larger than " + maxBytes + " bytes (limit maxBodyBytes = " + maxBytes
                                            + ")")
                            .with("limit", "maxBodyBytes")
                            .with("limitValue", maxBytes));
                }
                digest.update(buffer, 0, n);
                utf8.update(buffer, n);
                out.write(buffer, 0, n);
                written.accept(total);
            }
            utf8.finish();
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

    /** The directory of uploads' work files: the configured spool directory, or one in the JVM's temp directory. */
    public static Path dir(Optional<Path> configured) throws IOException {
        Path dir =
                configured.orElse(Path.of(System.getProperty("java.io.tmpdir"))).resolve("tenantml-uploads");
        Files.createDirectories(dir);
        return dir;
    }

    /**
     * Deletes the work files in {@code dir} (spooled bodies, rows and quarantine files, the records an append
     * writes out before uploading them, by their name patterns) last modified before {@code cutoff}: an upload
     * or append deletes its own files when it ends, however it ends, so only a crash leaves any. Other files are
     * left alone; one that cannot be deleted is logged and skipped. Returns how many were deleted.
     */
    public static int sweepStale(Path dir, Instant cutoff) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                boolean workFile = (name.startsWith("upload-") && name.endsWith(".spool"))
                        || (name.startsWith("rows-") && name.endsWith(".bin.gz"))
                        || (name.startsWith("quarantine-") && name.endsWith(".ndjson.gz"))
                        // DatasetService.append: the latest version's rows and the appended records, as large as
                        // the dataset, left for good by a node that died mid-append
                        || (name.startsWith("append-") && name.endsWith(".ndjson"));
                try {
                    if (workFile
                            && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                            && Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)
                            && Files.deleteIfExists(file)) {
                        deleted++;
                    }
                } catch (NoSuchFileException e) {
                    // Another node swept it first.
                } catch (IOException e) {
                    // one file that cannot be deleted spares only itself
                    LOG.warnf(e, "Could not delete the stale work file %s", file);
                }
            }
        }
        return deleted;
    }

    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(Ingestion.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Checks the structure of UTF-8 as bytes pass (lead and continuation bytes), counting lines, so that a
     * file saved in Latin-1 is refused naming the first bad line rather than the buffer a decoder was on.
     */
    static final class Utf8Check {
        private static final VarHandle LONGS =
                MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private long line = 1;
        private long offset;
        private int pending;

        void update(byte[] bytes, int n) {
            int i = 0;
            while (i < n) {
                // Eight ASCII bytes at a time (the usual case for CSV and JSON): only their line breaks count.
                if (pending == 0 && i + 8 <= n) {
                    long word = (long) LONGS.get(bytes, i);
                    if ((word & 0x8080808080808080L) == 0) {
                        line += newlines(word);
                        i += 8;
                        offset += 8;
                        continue;
                    }
                }
                check(bytes[i] & 0xFF);
                i++;
                offset++;
            }
        }

        /** The number of '\n' bytes in eight ASCII bytes (exact, no false positives: SWAR zero-byte count). */
        private static int newlines(long word) {
            long x = word ^ 0x0A0A0A0A0A0A0A0AL;
            long y = (x & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL;
            return Long.bitCount(~(y | x | 0x7F7F7F7F7F7F7F7FL));
        }

        private void check(int b) {
            if (pending > 0) {
                if ((b & 0xC0) != 0x80) {
                    fail();
                }
                pending--;
            } else if (b < 0x80) {
                if (b == '\n') {
                    line++;
                }
            } else if (b >= 0xC2 && b <= 0xDF) {
                pending = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                pending = 2;
            } else if (b >= 0xF0 && b <= 0xF4) {
                pending = 3;
            } else {
                fail();
            }
        }

        void finish() {
            if (pending > 0) {
                fail();
            }
        }

        private void fail() {
            throw new ProblemException(Problem.of(
                            400,
                            "malformed-upload",
                            "Malformed upload",
                            "line " + line + ": the body is not valid UTF-8 (byte offset " + offset + ")")
                    .with("location", "line " + line));
        }
    }
}
