package io.tenantml.shared.database;

import java.sql.SQLException;

/**
 * Housekeeping that deletes or moves rows a bounded batch at a time (the retentions, the usage rollup): each batch is
 * its own short transaction beside the work that writes the same tables, and one run does at most its share, so
 * that it never holds a scheduler thread for long; what is left is the next run's.
 */
public final class Batches {

    /** One batch: the rows it deleted or moved. */
    @FunctionalInterface
    public interface Batch {
        long run() throws SQLException;
    }

    private Batches() {}

    /**
     * Runs {@code batch} until one comes back with fewer than {@code size} rows (nothing more was due, or what is
     * left is locked by another node, which works it off) or {@code most} batches have run.
     *
     * @return the rows of all batches
     */
    public static long untilShort(int size, int most, Batch batch) throws SQLException {
        long rows = 0;
        for (int i = 0; i < most; i++) {
            long n = batch.run();
            rows += n;
            if (n < size) {
                break;
            }
        }
        return rows;
    }
}
