package io.tenantml.testing;

import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Gives each test run (each Quarkus application started by the tests) a PostgreSQL database and a data
 * directory of its own, created at start and dropped at stop, so runs never see each other's data. The
 * database is created by the owner role, which also runs the migrations; the application connects as its own
 * role (tenantml_app), as in production. A test that needs the owner asks for it: {@link #ownerConnection}.
 */
public class TestDatabase implements QuarkusTestResourceLifecycleManager {

    public static final String SERVER = System.getProperty(
            "tenantml.test.pg", System.getenv().getOrDefault("TENANTML_TEST_PG", "jdbc:postgresql://127.0.0.1:5432/"));
    /** The owner: creates the test databases and runs the migrations. */
    public static final String USER = System.getenv().getOrDefault("TENANTML_DB_MIGRATION_USER", "postgres");

    private static final String PASSWORD = System.getenv().getOrDefault("TENANTML_DB_MIGRATION_PASSWORD", "");

    private String database;
    private Path dataDir;

    @Override
    public Map<String, String> start() {
        database =
                "tenantml_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("create database " + database);
        try {
            dataDir = Files.createTempDirectory("tenantml-test-data");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url",
                SERVER + database,
                "tenantml.database.migration-user",
                USER,
                "tenantml.storage.data-dir",
                dataDir.toString());
    }

    @Override
    public void stop() {
        if (database != null) {
            execute("drop database if exists " + database + " with (force)");
        }
        if (dataDir != null) {
            try (var paths = Files.walk(dataDir)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }

    /**
     * A connection to the application's database as the owner role, for what the application's role may not
     * do (switch triggers off, vacuum): never the application's pool.
     */
    public static Connection ownerConnection(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, USER, PASSWORD);
    }

    /**
     * Takes, in {@code c}'s open transaction (auto-commit off), the advisory lock the platform's {@code NameLocks}
     * takes for {@code kind|tenant|name}: what the platform does under that lock waits until the test commits.
     */
    public static void holdNameLock(Connection c, String kind, String tenant, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            ps.setString(1, kind + "|" + tenant + "|" + name);
            ps.execute();
        }
    }

    /** Waits until exactly {@code waiters} sessions of {@code c}'s database wait for an advisory lock. */
    public static void awaitAdvisoryLockWaiters(Connection c, int waiters) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> advisoryLockWaiters(c) == waiters);
    }

    /** How many sessions of {@code c}'s database wait for an advisory lock now. */
    public static long advisoryLockWaiters(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                        "select count(*) from pg_locks where locktype = 'advisory' and not granted and database"
                                + " = (select oid from pg_database where datname = current_database())");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Makes every DELETE of {@code tenant}'s rows of {@code table} fail until closed (a trigger, created by the owner,
     * raising an exception): a platform transaction that deletes such a row rolls back, as one does that fails late
     * (a statement after the others, a timeout, a node dying before its commit). The table needs a
     * {@code tenant_id} column.
     */
    public static RefusedDeletes refuseDeletes(String jdbcUrl, String table, String tenant) throws SQLException {
        if (!table.matches("[a-z_]+") || !tenant.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("table or tenant not usable in DDL: " + table + ", " + tenant);
        }
        String name = "test_refuse_delete_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = ownerConnection(jdbcUrl);
                Statement s = c.createStatement()) {
            s.execute("create function " + name + "() returns trigger language plpgsql as $$ begin"
                    + " raise exception 'delete refused by the test'; end $$");
            s.execute("create trigger " + name + " before delete on " + table + " for each row when (old.tenant_id = '"
                    + tenant + "') execute function " + name + "()");
        }
        return () -> {
            try (Connection c = ownerConnection(jdbcUrl);
                    Statement s = c.createStatement()) {
                s.execute("drop trigger " + name + " on " + table);
                s.execute("drop function " + name + "()");
            }
        };
    }

    /** Deletes are accepted again once closed. */
    public interface RefusedDeletes extends AutoCloseable {
        @Override
        void close() throws SQLException;
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL at " + SERVER + " is needed for the tests: " + e.getMessage(), e);
        }
    }
}
