package io.tenantml.dataset.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantml.shared.ProblemException;
import io.tenantml.testing.Immutable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

    @TempDir
    Path dir;

    @Test
    void shouldSweepOnlyWorkFilesOlderThanTheCutoff() throws IOException {
        Instant cutoff = Instant.parse("2026-11-26T12:00:00Z");
        Path oldSpool = file("upload-1.spool", cutoff.minusSeconds(1));
        Path oldRows = file("rows-2.bin.gz", cutoff.minusSeconds(3600));
        Path oldQuarantine = file("quarantine-3.ndjson.gz", cutoff.minusSeconds(60));
        Path newSpool = file("upload-4.spool", cutoff.plusSeconds(1));
        Path oldOther = file("upload-5.txt", cutoff.minusSeconds(3600));
        Path oldAppend = file("append-6.ndjson", cutoff.minusSeconds(3600));
        Path newAppend = file("append-7.ndjson", cutoff.plusSeconds(1));

        assertThat(Spool.sweepStale(dir, cutoff)).isEqualTo(4);

        assertThat(oldSpool).doesNotExist();
        assertThat(oldRows).doesNotExist();
        assertThat(oldQuarantine).doesNotExist();
        assertThat(oldAppend).doesNotExist();
        assertThat(newSpool).exists();
        assertThat(newAppend).exists();
        assertThat(oldOther).exists();
        assertThat(Spool.sweepStale(dir.resolve("missing"), cutoff)).isZero();
    }

    @Test
    void shouldSweepTheOtherStaleFilesWhenOneCannotBeDeleted() throws Exception {
        Instant cutoff = Instant.parse("2026-11-26T12:00:00Z");
        Path stuck = file("upload-0.spool", cutoff.minusSeconds(60));
        Path[] others = new Path[4];
        for (int i = 0; i < others.length; i++) {
            others[i] = file("upload-" + (i + 1) + ".spool", cutoff.minusSeconds(60));
        }
        Immutable.set(stuck);
        try {
            assertThat(Spool.sweepStale(dir, cutoff)).isEqualTo(others.length);

            for (Path p : others) {
                assertThat(p).doesNotExist();
            }
            assertThat(stuck).exists();
        } finally {
            Immutable.clear(stuck);
        }
    }

    @Test
    void shouldDeleteThePartialFileOfABodyOverTheLimit() throws IOException {
        assertThatThrownBy(() -> Spool.of(new ByteArrayInputStream(new byte[2000]), dir, 1000))
                .isInstanceOf(ProblemException.class)
                .satisfies(e ->
                        assertThat(((ProblemException) e).problem().status()).isEqualTo(413));
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void shouldNameTheLineOfTheFirstInvalidUtf8ByteAcrossAsciiRunsAndBuffers() {
        // Random ASCII lines (runs of any length, so the 8-byte fast path and the byte-wise path alternate),
        // valid multi-byte characters, then one Latin-1 byte on a known line; seed 7.
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int round = 0; round < 200; round++) {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            int lines = 1 + random.nextInt(40);
            for (int l = 1; l < lines; l++) {
                int len = random.nextInt(30);
                for (int c = 0; c < len; c++) {
                    body.write(random.nextInt(10) == 0 ? 0xC3 : 'a' + random.nextInt(26));
                    if (body.toByteArray()[body.size() - 1] == (byte) 0xC3) {
                        body.write(0xA9);
                    }
                }
                body.write('\n');
            }
            body.writeBytes("x,".getBytes());
            body.write(0xE9);
            body.writeBytes(",y\nmore,lines\n".getBytes());
            byte[] bytes = body.toByteArray();
            Spool.Utf8Check check = new Spool.Utf8Check();
            int split = random.nextInt(bytes.length + 1);
            int expectedLine = lines;
            assertThatThrownBy(() -> {
                        check.update(java.util.Arrays.copyOfRange(bytes, 0, split), split);
                        check.update(java.util.Arrays.copyOfRange(bytes, split, bytes.length), bytes.length - split);
                        check.finish();
                    })
                    .as("seed 7, round %d", round)
                    .hasMessageContaining("line " + expectedLine + ":");
        }
    }

    private Path file(String name, Instant modified) throws IOException {
        Path p = Files.writeString(dir.resolve(name), "x");
        Files.setLastModifiedTime(p, FileTime.from(modified));
        return p;
    }
}
