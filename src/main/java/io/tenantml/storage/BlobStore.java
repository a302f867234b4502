package io.tenantml.storage;

import io.tenantml.shared.TenantId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * Tenant files. Lifecycle and guarantees every implementation keeps (checked by BlobStoreContract):
 * <ul>
 *   <li>every key lives under its tenant; no key of one tenant can reach another's files;</li>
 *   <li>{@link #put} is atomic: readers see the old content or the whole new content, never a part,
 *       and a failed or abandoned write leaves nothing behind;</li>
 *   <li>the returned SHA-256 is of the bytes stored; {@link #openVerified} refuses content that no longer
 *       matches an expected hash.</li>
 * </ul>
 */
public interface BlobStore {

    StoredBlob put(TenantId tenant, BlobKey key, InputStream content) throws IOException;

    /** Streams a blob out as it is written; the blob appears atomically when the writer closes. */
    BlobWriter writer(TenantId tenant, BlobKey key) throws IOException;

    Optional<InputStream> open(TenantId tenant, BlobKey key) throws IOException;

    /** Opens a blob only if its SHA-256 is {@code expectedSha256}; otherwise throws {@link TamperedBlobException}. */
    InputStream openVerified(TenantId tenant, BlobKey key, String expectedSha256) throws IOException;

    boolean exists(TenantId tenant, BlobKey key) throws IOException;

    /** The blob's size in bytes; a missing blob is a {@link java.nio.file.NoSuchFileException}. */
    long size(TenantId tenant, BlobKey key) throws IOException;

    /** Keys under a prefix (a directory-like artifact), sorted. */
    List<BlobKey> list(TenantId tenant, String prefix) throws IOException;

    boolean delete(TenantId tenant, BlobKey key) throws IOException;

    void deletePrefix(TenantId tenant, String prefix) throws IOException;

    /** Removes everything the tenant has; idempotent. */
    void deleteTenant(TenantId tenant) throws IOException;

    /** Bytes of every file the tenant has (usage metering samples it daily; quotas compare it to the plan). */
    long usedBytes(TenantId tenant) throws IOException;

    /**
     * {@link #usedBytes} by the first segment of the keys ({@code datasets}, {@code models}, ...), sorted by it, in
     * one pass: what a tenant at its storage limit reads to see what takes the room. Writes not yet committed count
     * under the segment they are written to.
     */
    java.util.SortedMap<String, Long> usedBytesByFirstSegment(TenantId tenant) throws IOException;

    /**
     * Removes what writes that never committed left behind and that were last written before {@code before}:
     * a write abandoned normally leaves nothing, but one whose process died mid-write (SIGKILL, power loss)
     * leaves its uncommitted content, which {@link #usedBytes} counts and nothing else would ever remove. A write
     * still going on, here or on another node sharing the store, writes as it goes, so it is younger than any
     * sensible {@code before}. Returns how many were removed. As in {@link #sweep}, what cannot be read or deleted
     * is logged and skipped.
     */
    int deleteAbandonedWrites(java.time.Instant before) throws IOException;

    /** Tenants that have any file, for sweeping files left by an interrupted offboarding. */
    List<TenantId> tenants() throws IOException;

    /**
     * One look at all the tenant's files for the sweep after start ({@link StartupSweeps}): removes its abandoned
     * writes last written before {@code abandonedBefore} (as {@link #deleteAbandonedWrites} does) and returns its
     * committed keys, sorted, as {@link #list list(tenant, "")} would, so that the sweeps share one walk. A file or
     * directory that cannot be read or deleted, or whose name is not a key, is logged and skipped (counted in
     * {@link SweptFiles#skipped}), never the end of the walk: one bad file must not spare the others.
     */
    SweptFiles sweep(TenantId tenant, java.time.Instant abandonedBefore) throws IOException;

    /** What {@link #sweep} found and did. */
    record SweptFiles(List<BlobKey> keys, int abandonedDeleted, int skipped) {}

    /** An output stream whose content becomes visible atomically on {@link #commit()}. */
    interface BlobWriter extends AutoCloseable {
        OutputStream stream();

        StoredBlob commit() throws IOException;

        /** Discards the content unless committed. */
        @Override
        void close() throws IOException;
    }

    class TamperedBlobException extends IOException {
        public TamperedBlobException(String message) {
            super(message);
        }
    }
}
