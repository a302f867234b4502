package io.tenantml.usage.internal;

import io.tenantml.shared.TenantId;
import io.tenantml.usage.Meter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Running totals of high-rate meters per (tenant, meter, dimensions, minute), in memory. Each bucket has an
 * id unique to this process ({@code minute:<process>:<n>}) and its row holds the bucket's whole running total,
 * so writing a bucket again (a retried or repeated flush) sets the same value instead of adding to it: the
 * flush is an idempotent upsert, never a count-twice increment.
 *
 * <p>A bucket is dropped from memory only when its minute is over and its last total has been written; the
 * add and the drop run under the map's per-key lock, so an add can never go to a dropped bucket.
 */
public final class MinuteTotals {

    /** What identifies a bucket. {@code dimensions} is sorted by the caller's map (a TreeMap copy). */
    public record Key(TenantId tenant, Meter meter, Map<String, String> dimensions, long minute) {}

    /** A bucket as a flush writes it. */
    public record Snapshot(Key key, String idempotencyId, long total) {}

    private static final class Bucket {
        final String id;
        final AtomicLong total = new AtomicLong();
        volatile long written;

        Bucket(String id) {
            this.id = id;
        }
    }

    private final String process = UUID.randomUUID().toString().substring(0, 13);
    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentHashMap<Key, Bucket> buckets = new ConcurrentHashMap<>();

    public void add(Key key, long quantity) {
        buckets.compute(key, (k, b) -> {
            Bucket bucket = b == null ? new Bucket("minute:" + process + ":" + sequence.incrementAndGet()) : b;
            bucket.total.addAndGet(quantity);
            return bucket;
        });
    }

    /** Buckets whose total changed since they were last written. */
    public List<Snapshot> dirty() {
        List<Snapshot> out = new ArrayList<>();
        buckets.forEach((key, bucket) -> {
            long total = bucket.total.get();
            if (total != bucket.written) {
                out.add(new Snapshot(key, bucket.id, total));
            }
        });
        return out;
    }

    /** Marks these totals as durable; buckets of minutes before {@code currentMinute} that are clean leave memory. */
    public void written(List<Snapshot> snapshots, long currentMinute) {
        for (Snapshot s : snapshots) {
            buckets.computeIfPresent(s.key(), (k, b) -> {
                if (b.id.equals(s.idempotencyId()) && s.total() > b.written) {
                    b.written = s.total();
                }
                return b;
            });
        }
        buckets.forEach((key, bucket) -> {
            if (key.minute() < currentMinute) {
                buckets.computeIfPresent(key, (k, b) -> b.total.get() == b.written ? null : b);
            }
        });
    }

    /**
     * Drops the buckets of minutes before {@code oldestWritable} whose last total is not written, and answers them
     * with what they lose ({@code total} is the part never written). Past that minute the rollup may have summed the
     * bucket's earlier total into its hour, so writing it again would count it twice.
     */
    public List<Snapshot> dropUnwrittenBefore(long oldestWritable) {
        List<Snapshot> lost = new ArrayList<>();
        buckets.forEach((key, bucket) -> {
            if (key.minute() < oldestWritable) {
                buckets.computeIfPresent(key, (k, b) -> {
                    long unwritten = b.total.get() - b.written;
                    if (unwritten > 0) {
                        lost.add(new Snapshot(k, b.id, unwritten));
                    }
                    return null;
                });
            }
        });
        return lost;
    }

    /** Totals not yet written (what a crash now would lose). */
    public long pending() {
        long sum = 0;
        for (Bucket b : buckets.values()) {
            sum += b.total.get() - b.written;
        }
        return sum;
    }
}
