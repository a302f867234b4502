package io.tenantml.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Which rows a run's success committed. PostgreSQL's {@code xmin} names the transaction that wrote a row version, so
 * rows that share the succeeded run row's {@code xmin} were written by the transaction that recorded its success:
 * no reader saw them before it, and no crash could leave one without the other.
 */
public final class RunCommits {

    private RunCommits() {}

    /**
     * Asserts that {@code table} has rows where {@code condition} (with {@code parameters} bound in order) holds,
     * and that every one of them was last written by the transaction that recorded run {@code runId} succeeded.
     */
    public static void assertWrittenWithRun(
            DataSource dataSource, UUID runId, String table, String condition, Object... parameters)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select count(*), count(*) filter (where t.xmin = (select"
                        + " r.xmin from run r where r.id = ? and r.state = 'SUCCEEDED')) from " + table + " t where "
                        + condition)) {
            ps.setObject(1, runId);
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 2, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1))
                        .as("%s rows where %s of succeeded run %s", table, condition, runId)
                        .isPositive();
                assertThat(rs.getLong(2))
                        .as(
                                "%s rows where %s written in the transaction that recorded run %s succeeded",
                                table, condition, runId)
                        .isEqualTo(rs.getLong(1));
            }
        }
    }
}
