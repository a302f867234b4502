package io.tenantml.storage;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantml.shared.TenantId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The judgement an {@link AfterStartSweep} part makes of files that rows name (a dataset's versions, a model's
 * versions): a file no row named when read without locks is judged again under the locks its feature's writes
 * store such a file and insert its row under, and deleted only if still unnamed there. Owners with every file named
 * are not locked at all. One owner's failure, or one file's, spares only that owner or file.
 */
public final class UnnamedFiles {

    private static final Logger LOG = Logger.getLogger(UnnamedFiles.class);

    private UnnamedFiles() {}

    /**
     * The files a feature owns, by owner: those whose path's segments {@code owned} accepts, keyed by their second
     * segment (the dataset's or model's name under its area, {@code datasets/<name>/...}), in name order.
     */
    public static Map<String, List<BlobKey>> byOwner(List<BlobKey> files, Predicate<String[]> owned) {
        Map<String, List<BlobKey>> byOwner = new TreeMap<>();
        for (BlobKey key : files) {
            String[] segments = key.path().split("/");
            if (owned.test(segments)) {
                byOwner.computeIfAbsent(segments[1], n -> new ArrayList<>()).add(key);
            }
        }
        return byOwner;
    }

    /**
     * @param byOwner       the tenant's files by the name of what owns them (a dataset, a model)
     * @param namedBefore   the keys the tenant's rows named, read without locks
     * @param namedUnderLock for an owner, inside a transaction of its own: takes the owner's locks and returns the
     *     keys its rows name now
     * @param what          what the files are, for the log ("dataset files")
     * @return how many files were deleted
     */
    public static int delete(
            BlobStore blobs,
            TenantId tenant,
            Map<String, List<BlobKey>> byOwner,
            Supplier<Set<String>> namedBefore,
            Function<String, Set<String>> namedUnderLock,
            String what) {
        Set<String> named = QuarkusTransaction.requiringNew().call(namedBefore::get);
        int deleted = 0;
        for (Map.Entry<String, List<BlobKey>> files : byOwner.entrySet()) {
            List<BlobKey> candidates = files.getValue().stream()
                    .filter(k -> !named.contains(k.path()))
                    .toList();
            if (candidates.isEmpty()) {
                continue;
            }
            try {
                deleted += QuarkusTransaction.requiringNew().call(() -> {
                    Set<String> now = namedUnderLock.apply(files.getKey());
                    int n = 0;
                    for (BlobKey key : candidates) {
                        if (!now.contains(key.path()) && delete(blobs, tenant, key, what)) {
                            n++;
                        }
                    }
                    return n;
                });
            } catch (RuntimeException e) {
                // one owner's failure does not spare the tenant's other owners
                LOG.errorf(e, "Could not sweep %s of %s of tenant %s", what, files.getKey(), tenant);
            }
        }
        if (deleted > 0) {
            LOG.warnf("Deleted %d %s of tenant %s that nothing names", deleted, what, tenant);
        }
        return deleted;
    }

    private static boolean delete(BlobStore blobs, TenantId tenant, BlobKey key, String what) {
        try {
            return blobs.delete(tenant, key);
        } catch (IOException e) {
            // one file that cannot be deleted spares only itself
            LOG.warnf(e, "Could not delete %s %s of tenant %s that nothing names", what, key, tenant);
            return false;
        }
    }
}
