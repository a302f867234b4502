package io.tenantml.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.storage.BlobStoreContract;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void shouldWriteUnderTenantPrefix() throws IOException {
        store.put(ACME, new BlobKey("datasets/x/1.csv.gz"), new ByteArrayInputStream(new byte[] {1}));
        assertThat(root.resolve("blobs/acme/datasets/x/1.csv.gz")).exists();
    }
}
