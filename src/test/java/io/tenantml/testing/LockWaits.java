package io.tenantml.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Who is waiting for a lock in the test's database: a condition to await instead of a sleep. */
public final class LockWaits {

    private LockWaits() {}

    /**
     * Takes, in {@code c}'s open transaction, the exclusive lock {@code NameLocks.lock} takes on a name of a kind
     * in a tenant (what a purge, a version's commit or a schema declaration holds on a dataset), until {@code c}
     * commits or rolls back.
     */
    public static void holdNameLock(Connection c, String kind, String tenant, String name) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            lock.setString(1, kind + "|" + tenant + "|" + name);
            lock.executeQuery().close();
        }
    }

    /**
     * Sessions of {@code c}'s database, other than {@code c}'s own, waiting now for a lock of any kind (a row's, an
     * advisory one); readable by the application's role as by the owner.
     */
    public static long sessionsWaiting(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from pg_locks l join pg_stat_activity a"
                        + " on a.pid = l.pid where not l.granted and l.pid <> pg_backend_pid()"
                        + " and a.datname = current_database()");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
