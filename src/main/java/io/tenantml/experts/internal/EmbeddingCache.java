package io.tenantml.experts.internal;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import io.tenantml.experts.ExpertsConfig;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.database.Batches;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Embeddings by (tenant, model, SHA-256 of the text) in PostgreSQL: a rebuild embeds only texts it has not
 * seen. Every statement names the tenant, except the retention, which serves every tenant at once; the rows go with
 * the tenant (on delete cascade). Each row keeps the UTC day a build last used it, and rows unused for
 * {@link ExpertsConfig#embeddingRetention()} are deleted: changed texts, purged rows and deleted recommenders would
 * otherwise leave vectors for good.
 */
@ApplicationScoped
public class EmbeddingCache {

    private static final Logger LOG = Logger.getLogger(EmbeddingCache.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ExpertsConfig config;

    @Inject
    Clock clock;

    /**
     * Cached vectors of the given content hashes (hex of the hash → vector), marking those found as used on
     * {@code today}. A row is rewritten at most once a day (only when its mark is older), so repeated builds do not
     * rewrite the whole cache each time.
     */
    public Map<String, float[]> lookup(TenantId tenant, String model, List<byte[]> hashes, LocalDate today) {
        Map<String, float[]> found = new HashMap<>();
        // hashes travel as hex text (the driver has no bytea[] parameter) and are decoded in the database
        String hashesIn = " content_sha256 in (select decode(h, 'hex') from unnest(?::text[]) h)";
        String select =
                "select content_sha256, vector from expert_embedding where tenant_id = ? and model = ? and" + hashesIn;
        String markUsed = "update expert_embedding set used_on = ? where tenant_id = ? and model = ? and used_on < ?"
                + " and" + hashesIn;
        try (Connection c = dataSource.getConnection();
                PreparedStatement read = c.prepareStatement(select);
                PreparedStatement mark = c.prepareStatement(markUsed)) {
            Date day = Date.valueOf(today);
            for (int from = 0; from < hashes.size(); from += 1000) {
                List<byte[]> part = hashes.subList(from, Math.min(hashes.size(), from + 1000));
                java.sql.Array partHashes = c.createArrayOf(
                        "text", part.stream().map(HexFormat.of()::formatHex).toArray());
                read.setString(1, tenant.value());
                read.setString(2, model);
                read.setArray(3, partHashes);
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        found.put(HexFormat.of().formatHex(rs.getBytes(1)), Vectors.fromBytes(rs.getBytes(2)));
                    }
                }
                mark.setDate(1, day);
                mark.setString(2, tenant.value());
                mark.setString(3, model);
                mark.setDate(4, day);
                mark.setArray(5, partHashes);
                mark.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("embedding cache unreadable: " + e.getMessage(), e);
        }
        return found;
    }

    /** Adds vectors, marked as used on {@code today}; a hash another build added meanwhile keeps its vector. */
    public void store(TenantId tenant, String model, List<byte[]> hashes, List<float[]> vectors, LocalDate today) {
        String sql = "insert into expert_embedding (tenant_id, model, content_sha256, vector, used_on)"
                + " values (?, ?, ?, ?, ?) on conflict do nothing";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < hashes.size(); i++) {
                ps.setString(1, tenant.value());
                ps.setString(2, model);
                ps.setBytes(3, hashes.get(i));
                ps.setBytes(4, Vectors.toBytes(vectors.get(i)));
                ps.setDate(5, Date.valueOf(today));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("embedding cache not written: " + e.getMessage(), e);
        }
    }

    @Scheduled(
            identity = "experts-embedding-retention",
            every = "${tenantml.experts.embedding-retention-every:6h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        Batches.scheduled(LOG, "Cached embeddings past their retention not deleted", () -> prune(LocalDate.now(clock)));
    }

    /**
     * Deletes the embeddings of every tenant that no build has used since {@code today} minus the retention (whole
     * days); answers how many went. A build that found one just before it goes already holds its vector.
     */
    public long prune(LocalDate today) throws SQLException {
        LocalDate before = today.minusDays(config.embeddingRetention().toDays());
        long deleted = Batches.deleteDue(
                dataSource,
                "delete from expert_embedding where (tenant_id, model, content_sha256) in (select tenant_id, model,"
                        + " content_sha256 from expert_embedding where used_on < ? limit ?)",
                Date.valueOf(before));
        if (deleted > 0) {
            LOG.infof("Deleted %d cached embeddings last used before %s", deleted, before);
        }
        return deleted;
    }

    public long count(TenantId tenant) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select count(*) from expert_embedding where tenant_id = ?")) {
            ps.setString(1, tenant.value());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
