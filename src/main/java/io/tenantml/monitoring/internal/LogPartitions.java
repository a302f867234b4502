package io.tenantml.monitoring.internal;

import io.agroal.api.AgroalDataSource;
import io.tenantml.monitoring.MonitoringConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The partitions of {@code prediction_log}: one list partition per retention class
 * ({@code prediction_log_r90}), each range-partitioned by UTC day ({@code prediction_log_r90_d20261130},
 * epoch milliseconds [day start, next day start)). Days are created ahead by {@link #maintain} and on demand
 * by the writer; a class's day is dropped as a whole once it ended more than the class's days ago, so a
 * record is kept between {@code class} and {@code class + 1} days.
 *
 * <p>The application's database role owns no table, so it cannot create or drop partitions itself: the
 * owner's functions {@code prediction_log_ensure_partition} and {@code prediction_log_drop_partition}
 * (migration V103) do, from the class and the day as integers. They build the names and bounds, take the
 * advisory lock that lets nodes creating or dropping at the same time take turns, and the drop refuses a day
 * still inside its class's retention.
 */
@ApplicationScoped
public class LogPartitions {

    private static final Logger LOG = Logger.getLogger(LogPartitions.class);
    private static final long DAY_MILLIS = 86_400_000L;
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MonitoringConfig config;

    @Inject
    Clock clock;

    private final Set<String> known = ConcurrentHashMap.newKeySet();

    /** The class a retention of {@code days} is kept in: the smallest class of at least that many days. */
    public int classFor(int days) {
        List<Integer> classes = new ArrayList<>(new TreeSet<>(config.log().retentionClasses()));
        for (int c : classes) {
            if (c >= days) {
                return c;
            }
        }
        return classes.get(classes.size() - 1);
    }

    public int largestClass() {
        return new TreeSet<>(config.log().retentionClasses()).last();
    }

    public static long dayOf(long epochMillis) {
        return Math.floorDiv(epochMillis, DAY_MILLIS);
    }

    /** Whether a record of this day in this class would already have been dropped. */
    public boolean expired(int retentionClass, long day) {
        return day + 1 + retentionClass <= dayOf(clock.millis());
    }

    /** Makes sure the partition of {@code day} in {@code retentionClass} exists. */
    public void ensure(int retentionClass, long day) {
        String name = partition(retentionClass, day);
        if (known.contains(name)) {
            return;
        }
        call("select prediction_log_ensure_partition(?, ?)", retentionClass, day);
        known.add(name);
    }

    /** Forgets what it knows exists (after a failed write: another node may have dropped a partition). */
    public void forget() {
        known.clear();
    }

    /**
     * Creates every class's partitions from yesterday to {@code partitionsAhead} days ahead and drops the
     * days past their class's retention. Returns the names of the dropped partitions.
     */
    public List<String> maintain() {
        long today = dayOf(clock.millis());
        for (int c : new TreeSet<>(config.log().retentionClasses())) {
            for (long day = today - 1; day <= today + config.log().partitionsAhead(); day++) {
                ensure(c, day);
            }
        }
        List<String> dropped = new ArrayList<>();
        for (String name : existing()) {
            // prediction_log_r<class>_d<yyyymmdd>
            int d = name.lastIndexOf("_d");
            int retentionClass = Integer.parseInt(name.substring("prediction_log_r".length(), d));
            long day = LocalDate.parse(name.substring(d + 2), DAY).toEpochDay();
            // the function judges expiry by the database's clock as well: a day it still keeps stays
            if (expired(retentionClass, day)
                    && Boolean.TRUE.equals(call("select prediction_log_drop_partition(?, ?)", retentionClass, day))) {
                known.remove(name);
                dropped.add(name);
            }
        }
        if (!dropped.isEmpty()) {
            LOG.infof("prediction log: dropped %d partitions past retention: %s", dropped.size(), dropped);
        }
        return dropped;
    }

    /** The daily partitions that exist now, by name. */
    public List<String> existing() {
        List<String> names = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select child.relname from pg_inherits i "
                        + "join pg_class child on child.oid = i.inhrelid "
                        + "join pg_class parent on parent.oid = i.inhparent "
                        + "join pg_inherits top on top.inhrelid = parent.oid "
                        + "where top.inhparent = 'prediction_log'::regclass order by 1");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("prediction log partitions could not be listed: " + e.getMessage(), e);
        }
        return names;
    }

    static String parent(int retentionClass) {
        return "prediction_log_r" + retentionClass;
    }

    static String partition(int retentionClass, long day) {
        return parent(retentionClass) + "_d"
                + LocalDate.ofEpochDay(day).atStartOfDay(ZoneOffset.UTC).format(DAY);
    }

    /** Calls one of the owner's partition functions; answers what it returned. */
    private Object call(String sql, int retentionClass, long day) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, retentionClass);
            ps.setInt(2, Math.toIntExact(day));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("prediction log partition DDL failed: " + e.getMessage(), e);
        }
    }
}
