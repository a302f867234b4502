package io.tenantml.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantml.shared.TenantId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link BlobStore} implementation must do; each implementation's test extends this. */
public abstract class BlobStoreContract {

    protected static final TenantId ACME = new TenantId("acme");
    protected static final TenantId GLOBEX = new TenantId("globex");

    protected abstract BlobStore store();

    @Test
    void shouldReturnSha256OfExactlyTheBytesWritten() throws Exception {
        byte[] content = "hello, tenant".getBytes(StandardCharsets.UTF_8);
        StoredBlob stored = store().put(ACME, BlobKey.of("a", "b.txt"), new ByteArrayInputStream(content));
        assertThat(stored.sha256())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        assertThat(stored.bytes()).isEqualTo(content.length);
        try (InputStream in = store().open(ACME, BlobKey.of("a", "b.txt")).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void shouldKeepTenantsApart() throws Exception {
        store().put(ACME, new BlobKey("shared/name"), new ByteArrayInputStream(new byte[] {1}));
        assertThat(store().open(GLOBEX, new BlobKey("shared/name"))).isEmpty();
        assertThat(store().list(GLOBEX, "")).isEmpty();
        store().deleteTenant(GLOBEX);
        assertThat(store().exists(ACME, new BlobKey("shared/name"))).isTrue();
    }

    @Test
    void shouldRejectKeysThatTryToLeaveTheTenant() {
        for (String bad : new String[] {"../globex/x", "/etc/passwd", "a/../../x", "a//b", "a/./b", "", "a\\b"}) {
            assertThatThrownBy(() -> new BlobKey(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldLeaveNothingBehindWhenWriteIsAbandoned() throws Exception {
        try (BlobStore.BlobWriter writer = store().writer(ACME, new BlobKey("partial/blob"))) {
            writer.stream().write(new byte[] {1, 2, 3});
            // no commit: the caller failed half-way
        }
        assertThat(store().exists(ACME, new BlobKey("partial/blob"))).isFalse();
        assertThat(store().list(ACME, "partial")).isEmpty();
    }

    @Test
    void shouldDeleteWhatAWriteWhoseProcessDiedLeftOnlyOnceItIsOlderThanTheCutoff() throws Exception {
        BlobKey committed = new BlobKey("rows/done.bin");
        store().put(ACME, committed, new ByteArrayInputStream(new byte[] {1, 2}));
        // a writer never closed nor committed: its process was SIGKILLed mid-write
        BlobStore.BlobWriter dead = store().writer(ACME, new BlobKey("rows/half.bin"));
        dead.stream().write(new byte[1000]);
        dead.stream().flush();
        assertThat(store().usedBytes(ACME))
                .as("the half-written content takes room")
                .isEqualTo(1002);

        assertThat(store().deleteAbandonedWrites(Instant.now().minus(Duration.ofHours(1))))
                .as("a write younger than the cutoff may still be running on another node")
                .isZero();
        assertThat(store().usedBytes(ACME)).isEqualTo(1002);
        assertThat(store().deleteAbandonedWrites(Instant.now().plus(Duration.ofMinutes(1))))
                .isEqualTo(1);

        assertThat(store().usedBytes(ACME)).isEqualTo(2);
        assertThat(store().list(ACME, "rows/")).containsExactly(committed);
        store().put(ACME, new BlobKey("models/m/one.ubj"), new ByteArrayInputStream(new byte[7]));
        assertThat(store().usedBytesByFirstSegment(ACME))
                .containsExactly(Map.entry("models", 7L), Map.entry("rows", 2L));
        assertThat(store().usedBytes(ACME)).isEqualTo(9);
        assertThat(store().exists(ACME, new BlobKey("rows/half.bin"))).isFalse();
        dead.close();
    }

    @Test
    void shouldKeepOldContentUntilNewContentIsCommitted() throws Exception {
        BlobKey key = new BlobKey("swap/blob");
        store().put(ACME, key, new ByteArrayInputStream(new byte[] {1}));
        try (BlobStore.BlobWriter writer = store().writer(ACME, key)) {
            writer.stream().write(new byte[] {2, 2});
            try (InputStream in = store().open(ACME, key).orElseThrow()) {
                assertThat(in.readAllBytes()).containsExactly(1);
            }
            writer.commit();
        }
        try (InputStream in = store().open(ACME, key).orElseThrow()) {
            assertThat(in.readAllBytes()).containsExactly(2, 2);
        }
    }

    @Test
    void shouldRefuseTamperedContent() throws Exception {
        BlobKey key = new BlobKey("models/m.ubj");
        StoredBlob stored = store().put(ACME, key, new ByteArrayInputStream(new byte[] {1, 2, 3}));
        store().openVerified(ACME, key, stored.sha256()).close();
        store().put(ACME, key, new ByteArrayInputStream(new byte[] {1, 2, 4}));
        assertThatThrownBy(() -> store().openVerified(ACME, key, stored.sha256()))
                .isInstanceOf(BlobStore.TamperedBlobException.class)
                .hasMessageContaining("SHA-256");
    }

    @Test
    void shouldListAndDeleteDirectoryLikeArtifacts() throws IOException {
        store().put(ACME, new BlobKey("indexes/experts/7/segments_1"), new ByteArrayInputStream(new byte[] {1}));
        store().put(ACME, new BlobKey("indexes/experts/7/_0.cfs"), new ByteArrayInputStream(new byte[] {2}));
        store().put(ACME, new BlobKey("indexes/experts/8/segments_1"), new ByteArrayInputStream(new byte[] {3}));
        assertThat(store().list(ACME, "indexes/experts/7/"))
                .extracting(BlobKey::path)
                .containsExactly("indexes/experts/7/_0.cfs", "indexes/experts/7/segments_1");
        store().deletePrefix(ACME, "indexes/experts/7/");
        assertThat(store().list(ACME, "indexes/"))
                .extracting(BlobKey::path)
                .containsExactly("indexes/experts/8/segments_1");
    }
}
