package io.tenantml.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/** What the usage table holds, read beside the rows it was written with. */
public final class UsageEvents {

    private UsageEvents() {}

    /**
     * Asserts that the tenant's usage events whose idempotency ids start with {@code idPrefix} exist and were all
     * written by the transaction that last wrote the run {@code runId} (the one that recorded its success): then no
     * crash can leave the run succeeded and its usage unbilled. PostgreSQL's {@code xmin} names the transaction
     * that wrote a row version.
     */
    public static void assertWrittenWithRun(DataSource dataSource, String tenant, String idPrefix, UUID runId)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select count(*), count(*) filter (where u.xmin = r.xmin)"
                                + " from usage_event u join run r on r.tenant_id = u.tenant_id"
                                + " where u.tenant_id = ? and u.idempotency_id like ? and r.id = ? and r.state = 'SUCCEEDED'")) {
            ps.setString(1, tenant);
            ps.setString(2, idPrefix + "%");
            ps.setObject(3, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1))
                        .as("usage events %s* of succeeded run %s", idPrefix, runId)
                        .isPositive();
                assertThat(rs.getLong(2))
                        .as(
                                "usage events %s* written in the transaction that recorded run %s succeeded",
                                idPrefix, runId)
                        .isEqualTo(rs.getLong(1));
            }
        }
    }
}
