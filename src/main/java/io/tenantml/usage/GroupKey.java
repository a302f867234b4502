package io.tenantml.usage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys of one group of a usage or cost report, as the grouped query returns them in columns {@code k0..kN}
 * (in {@link #ordered} order), and the keyset cursor that pages through the groups in that order.
 */
record GroupKey(String tenant, String month, String day, String meter, String model, Integer version) {

    private static final List<UsageGrouping> ORDER = List.of(
            UsageGrouping.TENANT,
            UsageGrouping.MONTH,
            UsageGrouping.DAY,
            UsageGrouping.METER,
            UsageGrouping.MODEL,
            UsageGrouping.VERSION);

    /** The query's groupings in their fixed order: the order of the key columns and of the pages. */
    static List<UsageGrouping> ordered(UsageQuery query) {
        return ORDER.stream().filter(query.groupBy()::contains).toList();
    }

    /** {@code k0, k1, ...}: the key columns, for group by, order by and the keyset comparison. */
    static String columns(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ", ").append('k').append(i);
        }
        return s.toString();
    }

    static GroupKey read(List<UsageGrouping> keys, ResultSet rs) throws SQLException {
        String tenant = null, month = null, day = null, meter = null, model = null;
        Integer version = null;
        for (int i = 0; i < keys.size(); i++) {
            String v = rs.getString("k" + i);
            switch (keys.get(i)) {
                case TENANT -> tenant = v;
                case MONTH -> month = v;
                case DAY -> day = v;
                case METER -> meter = v;
                case MODEL -> model = v;
                case VERSION -> version = v.isEmpty() ? null : Integer.valueOf(v);
            }
        }
        return new GroupKey(tenant, month, day, meter, model, version);
    }

    /** The cursor values of a group, compared as the key columns are (versions zero-padded, as in SQL). */
    List<String> sortKey(List<UsageGrouping> keys) {
        List<String> values = new ArrayList<>();
        for (UsageGrouping g : keys) {
            values.add(
                    switch (g) {
                        case TENANT -> tenant;
                        case MONTH -> month;
                        case DAY -> day;
                        case METER -> meter;
                        case MODEL -> model;
                        case VERSION -> version == null ? "" : String.format("%010d", version);
                    });
        }
        return values;
    }
}
