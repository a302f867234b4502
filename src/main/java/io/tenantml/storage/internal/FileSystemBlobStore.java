package io.tenantml.storage.internal;

import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.storage.StorageConfig;
import io.tenantml.storage.StoredBlob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Blobs as files under {@code <data dir>/blobs/<tenant>/<key>}. A write goes to a temp file beside its
 * target, is fsynced, renamed into place (atomic on POSIX) and the directory fsynced, so a crash leaves
 * the old file or the new one. Every resolved path is checked to stay inside the tenant's directory even
 * through symbolic links.
 */
@ApplicationScoped
public class FileSystemBlobStore implements BlobStore {

    private static final Logger LOG = Logger.getLogger(FileSystemBlobStore.class);
    private static final String TEMP_SUFFIX = ".partial";

    private final Path root;

    @Inject
    public FileSystemBlobStore(StorageConfig config) {
        this(config.dataDir().resolve("blobs"));
    }

    public FileSystemBlobStore(Path root) {
        try {
            Files.createDirectories(root);
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalStateException("cannot create blob root " + root, e);
        }
    }

    @Override
    public StoredBlob put(TenantId tenant, BlobKey key, InputStream content) throws IOException {
        try (BlobWriter writer = writer(tenant, key)) {
            content.transferTo(writer.stream());
            return writer.commit();
        }
    }

    @Override
    public BlobWriter writer(TenantId tenant, BlobKey key) throws IOException {
        Path target = resolve(tenant, key);
        Files.createDirectories(target.getParent());
        checkInside(tenant, target.getParent().toRealPath());
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), TEMP_SUFFIX);
        return new FileBlobWriter(key, target, temp);
    }

    @Override
    public Optional<InputStream> open(TenantId tenant, BlobKey key) throws IOException {
        Path path = resolve(tenant, key);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        checkInside(tenant, path.toRealPath());
        return Optional.of(Files.newInputStream(path));
    }

    @Override
    public InputStream openVerified(TenantId tenant, BlobKey key, String expectedSha256) throws IOException {
        Path path = resolve(tenant, key);
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException("blob " + key + " of tenant " + tenant + " is missing");
        }
        checkInside(tenant, path.toRealPath());
        String actual;
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest digest = sha256();
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            actual = HexFormat.of().formatHex(digest.digest());
        }
        if (!actual.equalsIgnoreCase(expectedSha256)) {
            throw new TamperedBlobException("blob " + key + " of tenant " + tenant + " has SHA-256 " + actual + " but "
                    + expectedSha256 + " was recorded: refusing to read it");
        }
        return Files.newInputStream(path);
    }

    @Override
    public boolean exists(TenantId tenant, BlobKey key) throws IOException {
        return Files.isRegularFile(resolve(tenant, key));
    }

    @Override
    public long size(TenantId tenant, BlobKey key) throws IOException {
        Path path = resolve(tenant, key);
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException("blob " + key + " of tenant " + tenant + " is missing");
        }
        return Files.size(path);
    }

    @Override
    public List<BlobKey> list(TenantId tenant, String prefix) throws IOException {
        Path tenantRoot = tenantRoot(tenant);
        if (!Files.isDirectory(tenantRoot)) {
            return List.of();
        }
        List<BlobKey> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(tenantRoot)) {
            files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !p.getFileName().toString().endsWith(TEMP_SUFFIX))
                    .map(p -> tenantRoot.relativize(p).toString().replace('\\', '/'))
                    .filter(k -> k.startsWith(prefix))
                    .sorted()
                    .forEach(k -> keys.add(new BlobKey(k)));
        }
        return keys;
    }

    @Override
    public boolean delete(TenantId tenant, BlobKey key) throws IOException {
        return Files.deleteIfExists(resolve(tenant, key));
    }

    @Override
    public void deletePrefix(TenantId tenant, String prefix) throws IOException {
        for (BlobKey key : list(tenant, prefix)) {
            delete(tenant, key);
        }
        if (!prefix.isEmpty()) {
            Path dir = tenantRoot(tenant).resolve(prefix).normalize();
            if (dir.startsWith(tenantRoot(tenant)) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                deleteTree(dir);
            }
        }
    }

    @Override
    public long usedBytes(TenantId tenant) throws IOException {
        return usedBytesByFirstSegment(tenant).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    @Override
    public java.util.SortedMap<String, Long> usedBytesByFirstSegment(TenantId tenant) throws IOException {
        Path tenantRoot = tenantRoot(tenant);
        java.util.SortedMap<String, Long> bytes = new java.util.TreeMap<>();
        if (!Files.isDirectory(tenantRoot)) {
            return bytes;
        }
        try (Stream<Path> files = Files.walk(tenantRoot)) {
            files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> {
                try {
                    long size = Files.size(p);
                    bytes.merge(tenantRoot.relativize(p).getName(0).toString(), size, Long::sum);
                } catch (IOException e) {
                    // deleted while walking
                }
            });
        }
        return bytes;
    }

    @Override
    public void deleteTenant(TenantId tenant) throws IOException {
        Path dir = tenantRoot(tenant);
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            deleteTree(dir);
        }
    }

    @Override
    public int deleteAbandonedWrites(java.time.Instant before) throws IOException {
        SweepWalk walk = new SweepWalk(null, before);
        Files.walkFileTree(root, walk);
        return walk.abandonedDeleted;
    }

    @Override
    public SweptFiles sweep(TenantId tenant, java.time.Instant abandonedBefore) throws IOException {
        Path tenantRoot = tenantRoot(tenant);
        if (!Files.isDirectory(tenantRoot, LinkOption.NOFOLLOW_LINKS)) {
            return new SweptFiles(List.of(), 0, 0);
        }
        SweepWalk walk = new SweepWalk(tenantRoot, abandonedBefore);
        Files.walkFileTree(tenantRoot, walk);
        walk.keys.sort(Comparator.comparing(BlobKey::path));
        return new SweptFiles(List.copyOf(walk.keys), walk.abandonedDeleted, walk.skipped);
    }

    @Override
    public List<TenantId> tenants() throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(TenantId::isValid)
                    .map(TenantId::new)
                    .sorted(Comparator.comparing(TenantId::value))
                    .toList();
        }
    }

    private Path tenantRoot(TenantId tenant) {
        return root.resolve(tenant.value());
    }

    private Path resolve(TenantId tenant, BlobKey key) throws IOException {
        Path tenantRoot = tenantRoot(tenant);
        Path path = tenantRoot.resolve(key.path()).normalize();
        if (!path.startsWith(tenantRoot) || path.equals(tenantRoot)) {
            throw new IOException("blob key " + key + " escapes the tenant directory");
        }
        // Follow any symbolic link that already exists on the way and check where it really leads.
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing != null && existing.startsWith(tenantRoot)) {
            checkInside(tenant, existing.toRealPath());
        }
        return path;
    }

    private void checkInside(TenantId tenant, Path realPath) throws IOException {
        if (!realPath.startsWith(tenantRoot(tenant))) {
            throw new IOException("path " + realPath + " leaves the directory of tenant " + tenant);
        }
    }

    /**
     * Deletes everything under {@code dir} that it can, then throws the first failure: a file that cannot be deleted
     * spares only itself and the directories above it, so an offboarding or a sweep that meets one still removes the
     * rest (and a retry finds less to do). What is gone meanwhile (an offboarding and a sweep deleting the same
     * tenant) is not a failure.
     */
    private static void deleteTree(Path dir) throws IOException {
        IOException[] first = new IOException[1];
        boolean[] fileFailed = new boolean[1];
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                if (!(e instanceof NoSuchFileException)) {
                    fail(e);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    fail(e);
                }
                try {
                    Files.deleteIfExists(d);
                } catch (DirectoryNotEmptyException notEmpty) {
                    if (!fileFailed[0]) {
                        fail(new IOException("concurrent write while deleting " + dir, notEmpty));
                    }
                } catch (IOException other) {
                    fail(other);
                }
                return FileVisitResult.CONTINUE;
            }

            private void delete(Path file) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    fileFailed[0] = true;
                    fail(e);
                }
            }

            private void fail(IOException e) {
                if (first[0] == null) {
                    first[0] = e;
                } else {
                    first[0].addSuppressed(e);
                }
            }
        });
        if (first[0] != null) {
            throw first[0];
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class FileBlobWriter implements BlobWriter {
        private final BlobKey key;
        private final Path target;
        private final Path temp;
        private final FileChannel channel;
        private final MessageDigest digest = sha256();
        private final CountingStream stream;
        private boolean committed;

        FileBlobWriter(BlobKey key, Path target, Path temp) throws IOException {
            this.key = key;
            this.target = target;
            this.temp = temp;
            this.channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            this.stream = new CountingStream(new DigestOutputStream(Channels.newOutputStream(channel), digest));
        }

        @Override
        public OutputStream stream() {
            return stream;
        }

        @Override
        public StoredBlob commit() throws IOException {
            stream.flush();
            channel.force(true);
            channel.close();
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsyncDirectory(target.getParent());
            committed = true;
            return new StoredBlob(key, HexFormat.of().formatHex(digest.digest()), stream.count);
        }

        @Override
        public void close() throws IOException {
            if (!committed) {
                channel.close();
                Files.deleteIfExists(temp);
            }
        }

        private static void fsyncDirectory(Path dir) {
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException ignored) {
                // Some file systems refuse to open directories; the rename is still atomic there.
            }
        }
    }

    /**
     * Deletes the abandoned writes it meets and, given a tenant's root, collects its committed keys. Nothing it
     * meets ends the walk: this runs beside requests, which delete datasets and whole tenants as it walks (a file
     * or directory gone meanwhile is simply not there), and one file it cannot read or delete is one file.
     */
    private static final class SweepWalk extends SimpleFileVisitor<Path> {
        private final Path keysRoot;
        private final java.time.Instant abandonedBefore;
        final List<BlobKey> keys = new ArrayList<>();
        int abandonedDeleted;
        int skipped;

        SweepWalk(Path keysRoot, java.time.Instant abandonedBefore) {
            this.keysRoot = keysRoot;
            this.abandonedBefore = abandonedBefore;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (!attrs.isRegularFile()) {
                return FileVisitResult.CONTINUE;
            }
            if (file.getFileName().toString().endsWith(TEMP_SUFFIX)) {
                try {
                    // read again: the walk's attributes are a moment old, and a running write touches its file
                    if (Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS)
                                    .toInstant()
                                    .isBefore(abandonedBefore)
                            && Files.deleteIfExists(file)) {
                        abandonedDeleted++;
                    }
                } catch (NoSuchFileException e) {
                    // committed, abandoned or swept by another node meanwhile
                } catch (IOException e) {
                    skip(file, e);
                }
            } else if (keysRoot != null) {
                String key = keysRoot.relativize(file).toString().replace('\\', '/');
                try {
                    keys.add(new BlobKey(key));
                } catch (IllegalArgumentException e) {
                    // not written by the store (copied in by hand?): not a blob any sweep may judge
                    skipped++;
                    LOG.warnf("Sweep skipped %s: not a blob key (%s)", file, e.getMessage());
                }
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            if (!(e instanceof NoSuchFileException)) {
                skip(file, e);
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            if (e != null && !(e instanceof NoSuchFileException)) {
                skip(dir, e);
            }
            return FileVisitResult.CONTINUE;
        }

        private void skip(Path path, IOException e) {
            skipped++;
            LOG.warnf(e, "Sweep skipped %s, which it could not read or delete", path);
        }
    }

    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() {
            // The writer owns the channel; closing the caller's stream must not end the write.
        }
    }
}
