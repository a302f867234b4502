package io.tenantml.usage;

import io.agroal.api.AgroalDataSource;
import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prices usage with the rate card, in exact decimal arithmetic in PostgreSQL ({@code numeric}).
 *
 * <p>How figures reconcile: usage is first summed into <em>atoms</em>, one per (tenant, UTC day, meter, model,
 * version); each atom is priced with the rate card version in force on its day (the latest {@code effectiveFrom}
 * on or before it) as {@code quantity × unit price ÷ units per billing unit}, computed exactly and then rounded
 * once to {@value #COST_SCALE} decimal places, half up. Every figure of every report is an exact sum of these
 * rounded atoms, so the groups of any grouping add up to the total to the last digit, and a group's cost never
 * depends on how the rest of the report is grouped. (The rounding error of a figure is at most half a unit of the
 * 6th decimal per atom in it.)
 */
@ApplicationScoped
public class CostService {

    /** Decimal places of every cost. */
    public static final int COST_SCALE = 6;

    private static final String LIST = "costs";
    private static final String MODEL_LIST = "model-costs";

    /** The meters a model's training and serving costs are the sum of. */
    private static final String MODEL_METERS =
            "'training.cpu_seconds', 'training.wall_seconds', 'predict.records', 'batch.records'";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RateCards rateCards;

    /** Costs of one tenant, or of all tenants when {@code tenant} is null (operators only; callers check). */
    public Page<CostRow> costs(TenantId tenant, UsageQuery query, PageRequest page) {
        List<UsageGrouping> keys = GroupKey.ordered(query);
        List<String> after = page.after(LIST, keys.size());
        StringBuilder select = new StringBuilder("select ");
        for (int i = 0; i < keys.size(); i++) {
            select.append(expression(keys.get(i))).append(" as k").append(i).append(", ");
        }
        select.append("sum(billed) as quantity, coalesce(sum(cost), 0) as cost,"
                        + " array_remove(array_agg(distinct card order by card), null) as cards,"
                        + " coalesce(bool_or(no_price), false) as unpriced,"
                        + " array_remove(array_agg(distinct case when no_price then meter::text end"
                        + " order by case when no_price then meter::text end), null) as unpriced_meters from (")
                .append(priced(tenant != null, query.meter() != null))
                .append(") p");
        if (!keys.isEmpty()) {
            select.append(" group by ").append(GroupKey.columns(keys.size()));
        }
        StringBuilder sql = new StringBuilder("select * from (").append(select).append(") g");
        if (after != null && !keys.isEmpty()) {
            sql.append(" where (").append(GroupKey.columns(keys.size())).append(") > (");
            for (int i = 0; i < keys.size(); i++) {
                sql.append(i == 0 ? "?" : ", ?");
            }
            sql.append(")");
        }
        if (!keys.isEmpty()) {
            sql.append(" order by ").append(GroupKey.columns(keys.size()));
        }
        sql.append(" limit ?");
        String currency = rateCards.currency().orElse(null);
        List<CostRow> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = bindPriced(ps, 1, tenant, query);
            if (after != null && !keys.isEmpty()) {
                for (String value : after) {
                    ps.setString(p++, value);
                }
            }
            ps.setInt(p, keys.isEmpty() ? 1 : page.fetchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(keys, rs, currency));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cost query failed", e);
        }
        if (keys.isEmpty()) {
            return new Page<>(rows, null);
        }
        return page.page(rows, LIST, r -> r.key().sortKey(keys));
    }

    /**
     * What one model of one tenant cost in [from, to) by the meters of a model, for the cost-against-value
     * report; models with usage only, paged by (tenant, model).
     */
    public Page<ModelCost> modelCosts(UsageQuery query, PageRequest page) {
        List<String> after = page.after(MODEL_LIST, 2);
        StringBuilder sql = new StringBuilder("select tenant_id, model,"
                        + " coalesce(sum(cost) filter (where meter in ('training.cpu_seconds', 'training.wall_seconds')), 0),"
                        + " coalesce(sum(cost) filter (where meter in ('predict.records', 'batch.records')), 0),"
                        + " coalesce(sum(billed) filter (where meter = 'predict.records'), 0),"
                        + " coalesce(sum(billed) filter (where meter = 'batch.records'), 0),"
                        + " coalesce(sum(billed) filter (where meter = 'training.cpu_seconds'), 0),"
                        + " array_remove(array_agg(distinct case when no_price and meter in (" + MODEL_METERS
                        + ") then meter::text end order by case when no_price and meter in (" + MODEL_METERS
                        + ") then meter::text end), null)"
                        + " from (")
                .append(priced(false, false))
                .append(") p where model <> ''");
        if (after != null) {
            sql.append(" and (tenant_id::text, model::text) > (?, ?)");
        }
        sql.append(" group by tenant_id, model order by tenant_id::text, model::text limit ?");
        List<ModelCost> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = bindPriced(ps, 1, null, new UsageQuery(query.from(), query.to(), null, query.groupBy()));
            if (after != null) {
                ps.setString(p++, after.get(0));
                ps.setString(p++, after.get(1));
            }
            ps.setInt(p, page.fetchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new ModelCost(
                            TenantId.of(rs.getString(1)),
                            rs.getString(2),
                            scaled(rs.getBigDecimal(3)),
                            scaled(rs.getBigDecimal(4)),
                            rs.getBigDecimal(5).stripTrailingZeros().longValueExact(),
                            rs.getBigDecimal(6).stripTrailingZeros().longValueExact(),
                            rs.getBigDecimal(7).stripTrailingZeros(),
                            meters(rs.getArray(8))));
                }
            }
        } catch (SQLException | ArithmeticException e) {
            throw new IllegalStateException("model cost query failed", e);
        }
        return page.page(rows, MODEL_LIST, r -> List.of(r.tenant().value(), r.model()));
    }

    /**
     * A model's metered cost and volume in a period (see {@link #modelCosts}); {@code unpricedMeters} are those of
     * its training and serving meters with usage no rate card in force priced (sorted).
     */
    public record ModelCost(
            TenantId tenant,
            String model,
            BigDecimal trainingCost,
            BigDecimal servingCost,
            long predictRecords,
            long batchRecords,
            BigDecimal trainingCpuSeconds,
            List<Meter> unpricedMeters) {}

    /**
     * The unit price of {@code meter} (per billing unit) on each of {@code days} UTC days from {@code first}, by the
     * rate card in force that day; days before the first rate card, or whose version does not price the meter, are
     * absent. For figures not metered as usage (a model's stored artifacts), priced as the atoms are.
     */
    public java.util.Map<java.time.LocalDate, BigDecimal> unitPrices(Meter meter, java.time.LocalDate first, int days) {
        java.util.Map<java.time.LocalDate, BigDecimal> prices = new java.util.TreeMap<>();
        if (first == null || days <= 0) {
            return prices;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select d::date, pr.unit_price"
                        + " from generate_series(?::date, ?::date, interval '1 day') d"
                        + " join lateral (select r.version from rate_card r where r.effective_from <= d::date"
                        + " order by r.effective_from desc limit 1) rc on true"
                        + " join rate_card_price pr on pr.version = rc.version and pr.meter = ?")) {
            ps.setDate(1, java.sql.Date.valueOf(first));
            ps.setDate(2, java.sql.Date.valueOf(first.plusDays(days - 1L)));
            ps.setString(3, meter.wireName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    prices.put(rs.getDate(1).toLocalDate(), rs.getBigDecimal(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("price query failed", e);
        }
        return prices;
    }

    /**
     * The priced atoms: one row per (tenant, day, meter, model, version) with {@code billed} (quantity in billing
     * units, exact), {@code cost} (rounded once), {@code card} (the version in force, null before the first) and
     * {@code no_price} (no card in force, or one that does not price the meter: the atom costs 0 unpriced).
     * Parameters: from, to, [tenant], [meter].
     */
    private static String priced(boolean byTenant, boolean byMeter) {
        StringBuilder perUnit = new StringBuilder("case a.meter");
        for (Meter m : Meter.values()) {
            if (m.unitsPerBillingUnit() != 1) {
                perUnit.append(" when '")
                        .append(m.wireName())
                        .append("' then ")
                        .append(BigDecimal.ONE
                                .divide(BigDecimal.valueOf(m.unitsPerBillingUnit()))
                                .toPlainString());
            }
        }
        perUnit.append(" else 1 end");
        return "select a.tenant_id, a.day, a.meter, a.model, a.version, a.quantity * " + perUnit + " as billed,"
                + " rc.version as card, pr.unit_price is null as no_price,"
                + " round(a.quantity * coalesce(pr.unit_price, 0) * " + perUnit + ", " + COST_SCALE + ") as cost"
                + " from (select tenant_id, (occurred_at at time zone 'UTC')::date as day, meter,"
                + " coalesce(model, '') as model, version, sum(quantity::numeric) as quantity"
                + " from usage_event where occurred_at >= ? and occurred_at < ?"
                + (byTenant ? " and tenant_id = ?" : "")
                + (byMeter ? " and meter = ?" : "")
                + " group by 1, 2, 3, 4, 5) a"
                + " left join lateral (select r.version from rate_card r where r.effective_from <= a.day"
                + " order by r.effective_from desc limit 1) rc on true"
                + " left join rate_card_price pr on pr.version = rc.version and pr.meter = a.meter";
    }

    private static int bindPriced(PreparedStatement ps, int p, TenantId tenant, UsageQuery query) throws SQLException {
        ps.setTimestamp(p++, Timestamp.from(query.from()));
        ps.setTimestamp(p++, Timestamp.from(query.to()));
        if (tenant != null) {
            ps.setString(p++, tenant.value());
        }
        if (query.meter() != null) {
            ps.setString(p++, query.meter().wireName());
        }
        return p;
    }

    private static String expression(UsageGrouping g) {
        return switch (g) {
            case TENANT -> "tenant_id::text";
            case MONTH -> "to_char(day, 'YYYY-MM')";
            case DAY -> "to_char(day, 'YYYY-MM-DD')";
            case METER -> "meter::text";
            case MODEL -> "model::text";
            case VERSION -> "coalesce(lpad(version::text, 10, '0'), '')";
        };
    }

    private static CostRow row(List<UsageGrouping> keys, ResultSet rs, String currency) throws SQLException {
        GroupKey key = GroupKey.read(keys, rs);
        String tenant = key.tenant(), month = key.month(), day = key.day(), meter = key.meter(), model = key.model();
        Integer version = key.version();
        Meter m = meter == null ? null : Meter.fromWire(meter);
        BigDecimal quantity = null;
        if (meter != null && rs.getBigDecimal("quantity") != null) {
            quantity = rs.getBigDecimal("quantity").stripTrailingZeros();
            if (quantity.scale() < 0) {
                quantity = quantity.setScale(0);
            }
        }
        Array cards = rs.getArray("cards");
        List<String> versions = cards == null ? List.of() : Arrays.asList((String[]) cards.getArray());
        List<Meter> unpriced = meters(rs.getArray("unpriced_meters"));
        return new CostRow(
                tenant,
                month,
                day,
                m,
                m == null ? null : m.billingUnit(),
                model,
                version,
                quantity,
                scaled(rs.getBigDecimal("cost")),
                currency,
                versions,
                rs.getBoolean("unpriced"),
                unpriced);
    }

    /** A text[] of meter wire names, as meters; null as none. */
    private static List<Meter> meters(Array names) throws SQLException {
        return names == null
                ? List.of()
                : Arrays.stream((String[]) names.getArray())
                        .map(Meter::fromWire)
                        .toList();
    }

    private static BigDecimal scaled(BigDecimal value) {
        return (value == null ? BigDecimal.ZERO : value).setScale(COST_SCALE, RoundingMode.UNNECESSARY);
    }
}
