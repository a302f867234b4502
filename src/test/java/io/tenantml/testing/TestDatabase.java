package io.tenantml.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * Gives each test run (each Quarkus application started by the tests) a PostgreSQL database and a data
 * directory of its own, created at start and dropped at stop, so runs never see each other's data.
 */
public class TestDatabase implements QuarkusTestResourceLifecycleManager {

    public static final String SERVER = System.getProperty(
            "tenantml.test.pg", System.getenv().getOrDefault("TENANTML_TEST_PG", "jdbc:postgresql://127.0.0.1:5432/"));
    public static final String USER = System.getenv().getOrDefault("TENANTML_DB_USER", "postgres");

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
                "quarkus.datasource.username",
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

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL at " + SERVER + " is needed for the tests: " + e.getMessage(), e);
        }
    }
}
