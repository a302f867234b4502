package io.tenantml.testing;

import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/** What the usage table holds, read beside the rows it was written with. */
public final class UsageEvents {

    private UsageEvents() {}

    /**
     * Asserts that the tenant's usage events whose idempotency ids start with {@code idPrefix} exist and were all
     * written by the transaction that recorded the run {@code runId} succeeded: then no crash can leave the run
     * succeeded and its usage unbilled.
     */
    public static void assertWrittenWithRun(DataSource dataSource, String tenant, String idPrefix, UUID runId)
            throws SQLException {
        RunCommits.assertWrittenWithRun(
                dataSource,
                runId,
                "usage_event",
                "t.tenant_id = ? and t.idempotency_id like ?",
                tenant,
                idPrefix + "%");
    }
}
