package io.tenantml.experts.internal;

import io.agroal.api.AgroalDataSource;
import io.tenantml.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Embeddings by (tenant, model, SHA-256 of the text) in PostgreSQL: a rebuild embeds only texts it has not
 * seen. Every statement names the tenant; the rows go with the tenant (on delete cascade).
 */
@ApplicationScoped
public class EmbeddingCache {

    @Inject
    AgroalDataSource dataSource;

    /** Cached vectors of the given content hashes (hex of the hash → vector). */
    public Map<String, float[]> lookup(TenantId tenant, String model, List<byte[]> hashes) {
        Map<String, float[]> found = new HashMap<>();
        // hashes travel as hex text (the driver has no bytea[] parameter) and are decoded in the database
        String sql = "select content_sha256, vector from expert_embedding where tenant_id = ? and model = ?"
                + " and content_sha256 in (select decode(h, 'hex') from unnest(?::text[]) h)";
        try (Connection c = dataSource.getConnection()) {
            for (int from = 0; from < hashes.size(); from += 1000) {
                List<byte[]> part = hashes.subList(from, Math.min(hashes.size(), from + 1000));
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, tenant.value());
                    ps.setString(2, model);
                    ps.setArray(
                            3,
                            c.createArrayOf(
                                    "text",
                                    part.stream().map(HexFormat.of()::formatHex).toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.put(HexFormat.of().formatHex(rs.getBytes(1)), Vectors.fromBytes(rs.getBytes(2)));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("embedding cache unreadable: " + e.getMessage(), e);
        }
        return found;
    }

    public void store(TenantId tenant, String model, List<byte[]> hashes, List<float[]> vectors) {
        String sql = "insert into expert_embedding (tenant_id, model, content_sha256, vector) values (?, ?, ?, ?)"
                + " on conflict do nothing";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < hashes.size(); i++) {
                ps.setString(1, tenant.value());
                ps.setString(2, model);
                ps.setBytes(3, hashes.get(i));
                ps.setBytes(4, Vectors.toBytes(vectors.get(i)));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("embedding cache not written: " + e.getMessage(), e);
        }
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
