package io.tenantml.monitoring;

import io.agroal.api.AgroalDataSource;
import io.tenantml.monitoring.internal.PredictionRecordCodec;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Streams the current tenant's logged predictions of one model version in a time range, decoded, for the
 * windows job. Rows come from a server-side cursor in {@link #FETCH_SIZE} chunks (memory stays bounded
 * however long the range), in no particular order; the time range prunes partitions and the BRIN index on
 * time narrows each to the pages of that range.
 */
@ApplicationScoped
public class PredictionLogReader {

    static final int FETCH_SIZE = 10_000;

    private static final String SELECT = "select id, predicted_at, record from prediction_log "
            + "where tenant_id = ? and model = ? and version = ? and predicted_at >= ? and predicted_at < ?";

    private static final String SELECT_MODEL = "select version, id, predicted_at, record from prediction_log "
            + "where tenant_id = ? and model = ? and predicted_at >= ? and predicted_at < ?";

    /** Receives the records of every version of a model, with the version of each. */
    @FunctionalInterface
    public interface VersionedSink {
        void accept(int version, LogRecord record);
    }

    @Inject
    TenantContext tenantContext;

    @Inject
    AgroalDataSource dataSource;

    /**
     * Hands every record of {@code model} version {@code version} predicted in [{@code from}, {@code to}) to
     * {@code sink}; returns how many.
     */
    public long read(String model, int version, Instant from, Instant to, Consumer<LogRecord> sink) {
        Objects.requireNonNull(sink, "sink");
        return read(SELECT, model, version, from, to, (v, r) -> sink.accept(r));
    }

    /**
     * Hands every record of every version of {@code model} predicted in [{@code from}, {@code to}) to
     * {@code sink} with its version, in one pass (the windows job profiles all versions of an hour at once);
     * returns how many.
     */
    public long readModel(String model, Instant from, Instant to, VersionedSink sink) {
        return read(SELECT_MODEL, model, null, from, to, sink);
    }

    private long read(String select, String model, Integer version, Instant from, Instant to, VersionedSink sink) {
        TenantId tenant = tenantContext.require();
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(sink, "sink");
        long count = 0;
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            try (PreparedStatement ps = c.prepareStatement(select)) {
                ps.setFetchSize(FETCH_SIZE);
                int i = 1;
                ps.setString(i++, tenant.value());
                ps.setString(i++, model);
                if (version != null) {
                    ps.setInt(i++, version);
                }
                ps.setLong(i++, from.toEpochMilli());
                ps.setLong(i, to.toEpochMilli());
                // the version is the first column of the model-wide select only
                int offset = version == null ? 1 : 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        PredictionRecordCodec.Payload p = PredictionRecordCodec.decode(rs.getBytes(3 + offset));
                        sink.accept(
                                version == null ? rs.getInt(1) : version,
                                new LogRecord(
                                        rs.getObject(1 + offset, UUID.class),
                                        Instant.ofEpochMilli(rs.getLong(2 + offset)),
                                        p.kinds(),
                                        p.features(),
                                        p.outputs(),
                                        p.sampledEvery()));
                        count++;
                    }
                }
                c.commit();
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the prediction log could not be read: " + e.getMessage(), e);
        }
        return count;
    }
}
