package io.tenantml.usage;

import io.agroal.api.AgroalDataSource;
import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads usage: sums of {@code usage_event} quantities per group, paged by keyset over the group keys. Every
 * group key is a text of fixed shape (versions zero-padded), so the order and the cursor compare the same way.
 */
@ApplicationScoped
public class UsageService {

    private static final String LIST = "usage";

    @Inject
    TenantContext tenantContext;

    @Inject
    AgroalDataSource dataSource;

    /** The current tenant's usage (the tenant from its verified credential only). */
    public Page<UsageRow> tenantUsage(UsageQuery query, PageRequest page) {
        return usage(tenantContext.require(), query, page);
    }

    /**
     * Usage of one tenant, or of all tenants when {@code tenant} is null (operators' reports only; callers check
     * the role).
     */
    public Page<UsageRow> usage(TenantId tenant, UsageQuery query, PageRequest page) {
        List<UsageGrouping> keys = GroupKey.ordered(query);
        List<String> after = page.after(LIST, keys.size());
        StringBuilder select = new StringBuilder("select ");
        for (int i = 0; i < keys.size(); i++) {
            select.append(expression(keys.get(i))).append(" as k").append(i).append(", ");
        }
        select.append("sum(quantity) as quantity from usage_event where occurred_at >= ? and occurred_at < ?");
        if (tenant != null) {
            select.append(" and tenant_id = ?");
        }
        if (query.meter() != null) {
            select.append(" and meter = ?");
        }
        select.append(" group by ").append(GroupKey.columns(keys.size()));
        StringBuilder sql = new StringBuilder("select * from (").append(select).append(") g");
        if (after != null) {
            sql.append(" where (").append(GroupKey.columns(keys.size())).append(") > (");
            for (int i = 0; i < keys.size(); i++) {
                sql.append(i == 0 ? "?" : ", ?");
            }
            sql.append(")");
        }
        sql.append(" order by ").append(GroupKey.columns(keys.size())).append(" limit ?");
        List<UsageRow> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            ps.setTimestamp(p++, Timestamp.from(query.from()));
            ps.setTimestamp(p++, Timestamp.from(query.to()));
            if (tenant != null) {
                ps.setString(p++, tenant.value());
            }
            if (query.meter() != null) {
                ps.setString(p++, query.meter().wireName());
            }
            if (after != null) {
                for (String value : after) {
                    ps.setString(p++, value);
                }
            }
            ps.setInt(p, page.fetchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(keys, rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("usage query failed", e);
        }
        return page.page(rows, LIST, r -> r.key().sortKey(keys));
    }

    private static String expression(UsageGrouping g) {
        return switch (g) {
            case TENANT -> "tenant_id::text";
            case MONTH -> "to_char(occurred_at at time zone 'UTC', 'YYYY-MM')";
            case DAY -> "to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD')";
            case METER -> "meter::text";
            case MODEL -> "coalesce(model, '')::text";
            case VERSION -> "coalesce(lpad(version::text, 10, '0'), '')";
        };
    }

    private static UsageRow row(List<UsageGrouping> keys, ResultSet rs) throws SQLException {
        GroupKey key = GroupKey.read(keys, rs);
        String tenant = key.tenant(), month = key.month(), day = key.day(), meter = key.meter(), model = key.model();
        Integer version = key.version();
        Meter m = meter == null ? null : Meter.fromWire(meter);
        return new UsageRow(
                tenant, day, month, m, m == null ? null : m.unit(), model, version, rs.getDouble("quantity"));
    }
}
