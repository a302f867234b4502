package io.tenantml.security.internal;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The credential lookups that must happen before the tenant is known, in plain JDBC so that they never
 * open the request's Hibernate session (which would then be bound to "no tenant"). This is the only place
 * that reads across tenants, and it only reads by the keyed hash; its one write names the tenant.
 */
@ApplicationScoped
public class CredentialStore {

    /** @param expiresAt null: the key has no end */
    public record KeyRecord(
            UUID id, String tenantId, String role, Instant lastUsedAt, Instant revokedAt, Instant expiresAt) {
        KeyRecord usedAt(Instant when) {
            return new KeyRecord(id, tenantId, role, when, revokedAt, expiresAt);
        }

        boolean expiredAt(Instant now) {
            return expiresAt != null && !now.isBefore(expiresAt);
        }

        /** Neither revoked nor past its end: a key whose use is worth recording. */
        boolean worksAt(Instant now) {
            return revokedAt == null && !expiredAt(now);
        }
    }

    @Inject
    AgroalDataSource dataSource;

    public Optional<KeyRecord> findTenantKey(byte[] keyHash) {
        // A leaving tenant's keys stop working at once (issue 15): the offboarding is under way.
        String sql = "select k.id, k.tenant_id, k.role, k.last_used_at, k.revoked_at, k.expires_at from api_key k "
                + "join tenant t on t.id = k.tenant_id where k.key_hash = ? and t.status = 'active'";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setBytes(1, keyHash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new KeyRecord(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getString(3),
                        instant(rs.getTimestamp(4)),
                        instant(rs.getTimestamp(5)),
                        instant(rs.getTimestamp(6))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("credential lookup failed", e);
        }
    }

    public Optional<KeyRecord> findOperatorKey(byte[] keyHash) {
        String sql = "select id, revoked_at from operator_key where key_hash = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setBytes(1, keyHash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new KeyRecord(
                        rs.getObject(1, UUID.class), null, "operator", null, instant(rs.getTimestamp(2)), null));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("credential lookup failed", e);
        }
    }

    public void touch(KeyRecord key, Instant now) {
        String sql = "update api_key set last_used_at = ? where id = ? and tenant_id = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setObject(2, key.id());
            ps.setString(3, key.tenantId());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("credential update failed", e);
        }
    }

    public boolean anyOperatorKey() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select 1 from operator_key where revoked_at is null limit 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next();
        } catch (SQLException e) {
            throw new IllegalStateException("operator key lookup failed", e);
        }
    }

    public void insertOperatorKey(UUID id, String name, String prefix, byte[] keyHash, Instant now) {
        String sql = "insert into operator_key(id, name, prefix, key_hash, created_at) values (?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            ps.setString(2, name);
            ps.setString(3, prefix);
            ps.setBytes(4, keyHash);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the operator key", e);
        }
    }

    /** A tenant as authentication sees it: whether it is active (else leaving) and when it was created. */
    public record TenantStanding(boolean active, Instant createdAt) {}

    public Optional<TenantStanding> tenant(String tenantId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select status, created_at from tenant where id = ?")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new TenantStanding("active".equals(rs.getString(1)), instant(rs.getTimestamp(2))))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("tenant lookup failed", e);
        }
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
