package io.tenantml.shared.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Housekeeping that deletes or moves rows a bounded batch at a time (the retentions, the usage rollup): each batch is
 * its own short transaction beside the work that writes the same tables, and one run does at most its share, so
 * that it never holds a scheduler thread for long; what is left is the next run's.
 */
public final class Batches {

    /** Rows a housekeeping statement deletes (one short transaction each), unless a job says otherwise. */
    public static final int SIZE = 5_000;

    /** Batches one run of a housekeeping job does at the most: a backlog is worked off over the next runs. */
    public static final int MOST = 100;

    /** One batch: the rows it deleted or moved. */
    @FunctionalInterface
    public interface Batch {
        long run() throws SQLException;
    }

    /** One scheduled run of a housekeeping job. */
    @FunctionalInterface
    public interface Pass {
        void run() throws SQLException;
    }

    private Batches() {}

    /**
     * Runs a scheduled housekeeping pass. A database failure is logged as {@code notDone}, not thrown: what was due
     * stays due, and the job's next run deletes or moves it, so a failed run costs nothing but the wait.
     */
    public static void scheduled(Logger log, String notDone, Pass pass) {
        try {
            pass.run();
        } catch (SQLException e) {
            log.error(notDone + " (the next run tries again)", e);
        }
    }

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

    /** {@link #deleteDue(DataSource, String, Object, int, int)} in batches of {@link #SIZE}, {@link #MOST} a run. */
    public static long deleteDue(DataSource dataSource, String delete, Object before) throws SQLException {
        return deleteDue(dataSource, delete, before, SIZE, MOST);
    }

    /**
     * {@link #untilShort} for the common case: {@code delete} has two parameters, the bound below which rows are due
     * ({@code before}: a timestamp or a date) and the batch's limit; answers the rows deleted.
     */
    private static long deleteDue(DataSource dataSource, String delete, Object before, int size, int most)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(delete)) {
            return untilShort(size, most, () -> {
                ps.setObject(1, before);
                ps.setInt(2, size);
                return ps.executeUpdate();
            });
        }
    }
}
