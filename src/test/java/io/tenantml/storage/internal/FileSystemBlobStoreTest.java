package io.tenantml.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.storage.BlobStoreContract;
import io.tenantml.storage.StoredBlob;
import io.tenantml.testing.Immutable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path root;

    private FileSystemBlobStore store;

    @BeforeEach
    void setUp() {
        store = new FileSystemBlobStore(root.resolve("blobs"));
    }

    @Override
    protected BlobStore store() {
        return store;
    }

    @Test
    void shouldRefuseToFollowSymlinkOutOfTenantDirectory() throws IOException {
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "not yours");
        Path tenantDir = Files.createDirectories(root.resolve("blobs").resolve("acme"));
        Files.createSymbolicLink(tenantDir.resolve("escape"), outside);

        assertThatThrownBy(() -> store.open(ACME, new BlobKey("escape/secret")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("leaves the directory");
        assertThatThrownBy(() -> store.put(ACME, new BlobKey("escape/new"), new ByteArrayInputStream(new byte[] {1})))
                .isInstanceOf(IOException.class);
        assertThat(outside.resolve("new")).doesNotExist();
    }

    @Test
    void shouldTellABlobsSizeAndRefuseThatOfAMissingOne() throws IOException {
        StoredBlob stored =
                store.put(ACME, new BlobKey("batch-predictions/m/r.csv"), new ByteArrayInputStream(new byte[1234]));
        assertThat(store.size(ACME, new BlobKey("batch-predictions/m/r.csv")))
                .isEqualTo(stored.bytes())
                .isEqualTo(1234);
        assertThatThrownBy(() -> store.size(ACME, new BlobKey("batch-predictions/m/missing.csv")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void shouldWriteUnderTenantPrefix() throws IOException {
        store.put(ACME, new BlobKey("datasets/x/1.csv.gz"), new ByteArrayInputStream(new byte[] {1}));
        assertThat(root.resolve("blobs/acme/datasets/x/1.csv.gz")).exists();
    }

    @Test
    void shouldSweepPastAFileItCannotDeleteAndAFileWhoseNameIsNotAKey() throws Exception {
        store.put(ACME, new BlobKey("models/m/a.ubj"), new ByteArrayInputStream(new byte[] {1}));
        Path tenantDir = root.resolve("blobs/acme");
        Files.writeString(tenantDir.resolve("models/m/copied by hand.txt"), "x");
        Path stuck = old(Files.writeString(tenantDir.resolve("models/m/.a.ubj1.partial"), "x"));
        Path dead = old(Files.writeString(tenantDir.resolve("models/m/.b.ubj2.partial"), "x"));
        Immutable.set(stuck);
        try {
            BlobStore.SweptFiles swept = store.sweep(ACME, Instant.now().minus(Duration.ofHours(1)));

            assertThat(swept.keys()).containsExactly(new BlobKey("models/m/a.ubj"));
            assertThat(swept.abandonedDeleted()).isEqualTo(1);
            assertThat(swept.skipped()).isEqualTo(2);
            assertThat(dead).doesNotExist();
            assertThat(stuck).exists();
        } finally {
            Immutable.clear(stuck);
        }
    }

    @Test
    void shouldDeleteTheOtherAbandonedWritesWhenOneCannotBeDeleted() throws Exception {
        Path tenantDir = Files.createDirectories(root.resolve("blobs/acme/rows"));
        Path stuck = old(Files.writeString(tenantDir.resolve(".a1.partial"), "x"));
        Path dead = old(Files.writeString(tenantDir.resolve(".b2.partial"), "x"));
        Immutable.set(stuck);
        try {
            assertThat(store.deleteAbandonedWrites(Instant.now().minus(Duration.ofHours(1))))
                    .isEqualTo(1);

            assertThat(dead).doesNotExist();
        } finally {
            Immutable.clear(stuck);
        }
    }

    @Test
    void shouldDeleteEveryOtherFileOfATenantWhenOneCannotBeDeleted() throws Exception {
        store.put(ACME, new BlobKey("a/1.bin"), new ByteArrayInputStream(new byte[] {1}));
        store.put(ACME, new BlobKey("m/2.bin"), new ByteArrayInputStream(new byte[] {2}));
        store.put(ACME, new BlobKey("z/3.bin"), new ByteArrayInputStream(new byte[] {3}));
        Path stuck = root.resolve("blobs/acme/z/3.bin");
        Immutable.set(stuck);
        try {
            assertThatThrownBy(() -> store.deleteTenant(ACME)).isInstanceOf(IOException.class);

            assertThat(store.list(ACME, "")).containsExactly(new BlobKey("z/3.bin"));
        } finally {
            Immutable.clear(stuck);
        }
        store.deleteTenant(ACME);
        assertThat(store.tenants()).isEmpty();
    }

    private static Path old(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        return file;
    }
}
