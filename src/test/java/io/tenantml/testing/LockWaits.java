package io.tenantml.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Who is waiting for a lock in the test's database: a condition to await instead of a sleep. */
public final class LockWaits {

    private LockWaits() {}

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
