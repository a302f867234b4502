package io.tenantml.experts.internal;

import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.storage.StoredBlob;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;

/**
 * A generation's files in the blob store: the Lucene index packed into one zip (stored, entries sorted, fixed
 * times, so the same index gives the same bytes), and the re-ranker. Opened only through their SHA-256.
 */
final class IndexFiles {

    private IndexFiles() {}

    static String prefix(String recommender) {
        return "experts/" + recommender + "/";
    }

    static BlobKey indexKey(String recommender, UUID build) {
        return BlobKey.of("experts", recommender, build, "index.zip");
    }

    static BlobKey rerankerKey(String recommender, UUID build) {
        return BlobKey.of("experts", recommender, build, "reranker.ubj");
    }

    static String generationPrefix(String recommender, UUID build) {
        return "experts/" + recommender + "/" + build + "/";
    }

    static StoredBlob store(BlobStore blobs, TenantId tenant, String recommender, UUID build, Directory index)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(1);
            String[] files = index.listAll();
            java.util.Arrays.sort(files);
            for (String file : files) {
                if (file.equals("write.lock")) {
                    continue;
                }
                ZipEntry entry = new ZipEntry(file);
                entry.setTime(0);
                zip.putNextEntry(entry);
                zip.write(ExpertIndex.readFile(index, file));
                zip.closeEntry();
            }
        }
        return blobs.put(tenant, indexKey(recommender, build), new java.io.ByteArrayInputStream(bytes.toByteArray()));
    }

    /** Reads a generation into memory, refusing it unless its bytes have the recorded SHA-256. */
    static ExpertIndex open(BlobStore blobs, TenantId tenant, String recommender, UUID build, String sha256)
            throws IOException {
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        try (InputStream in = blobs.openVerified(tenant, indexKey(recommender, build), sha256);
                ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                ExpertIndex.writeFile(dir, entry.getName(), zip.readAllBytes());
            }
        }
        return ExpertIndex.open(dir);
    }
}
