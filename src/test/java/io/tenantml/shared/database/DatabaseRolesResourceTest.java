package io.tenantml.shared.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.testing.TestDatabase;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The application's connections use a role that owns nothing and may not change the schema; migrations and
 * partition DDL run as the owner (V103).
 */
@QuarkusTest
class DatabaseRolesResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    DatabaseConfig config;

    @ConfigProperty(name = "quarkus.datasource.username")
    String appRole;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void shouldConnectAsALoginRoleWithoutPowersThatOwnsNothing() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            assertThat(string(c, "select current_user")).isEqualTo(appRole).isNotEqualTo(config.migrationUser());
            assertThat(string(
                            c,
                            "select concat_ws(',', rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, "
                                    + "rolreplication, rolbypassrls) from pg_roles where rolname = current_user"))
                    .as("login, superuser, createrole, createdb, replication, bypassrls")
                    .isEqualTo("t,f,f,f,f,f");
            assertThat(string(
                            c,
                            "select concat_ws(',', "
                                    + "(select count(*) from pg_class where relowner = r.oid), "
                                    + "(select count(*) from pg_proc where proowner = r.oid), "
                                    + "(select count(*) from pg_namespace where nspowner = r.oid), "
                                    + "(select count(*) from pg_type where typowner = r.oid), "
                                    + "(select count(*) from pg_database where datdba = r.oid)) "
                                    + "from pg_roles r where rolname = current_user"))
                    .as("relations, functions, schemas, types, databases owned")
                    .isEqualTo("0,0,0,0,0");
            // the schema and its tables belong to the role that migrated them
            assertThat(string(c, "select pg_get_userbyid(relowner) from pg_class where oid = 'tenant'::regclass"))
                    .isEqualTo(config.migrationUser());
            assertThat(string(c, "select max(installed_by) from flyway_schema_history"))
                    .isEqualTo(config.migrationUser());
        }
    }

    @Test
    void shouldRefuseTheApplicationsRoleEveryChangeOfTheSchema() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            for (String sql : List.of(
                    "create table intruder (id int)",
                    "create function intruder() returns int language sql as 'select 1'",
                    "alter table tenant add column intruder int",
                    "drop table audit_entry",
                    "truncate tenant",
                    "create index intruder on tenant (name)",
                    "alter table audit_entry disable trigger audit_entry_no_update_or_delete",
                    "insert into flyway_schema_history (installed_rank, description, type, script, installed_by, "
                            + "execution_time, success) values (9999, 'x', 'SQL', 'x', 'x', 0, true)")) {
                assertThatThrownBy(() -> execute(c, sql))
                        .as(sql)
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState())
                                .as(sql)
                                .isEqualTo("42501")); // insufficient_privilege: permission denied / must be owner
            }
            assertThatThrownBy(() -> execute(c, "set session_replication_role = replica"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void shouldCreateAndDropPredictionLogDaysOnlyThroughTheOwnersFunctions() throws SQLException {
        long today = LocalDate.now(ZoneOffset.UTC).toEpochDay();
        long old = today - 400; // long past the 7-day class, and a day no other test writes
        String name = "prediction_log_r7_d" + LocalDate.ofEpochDay(old).format(DateTimeFormatter.BASIC_ISO_DATE);
        try (Connection c = dataSource.getConnection()) {
            assertThat(string(c, "select prediction_log_ensure_partition(7, " + old + ")"))
                    .isEqualTo(name);
            assertThat(string(c, "select pg_get_userbyid(relowner) from pg_class where relname = '" + name + "'"))
                    .isEqualTo(config.migrationUser());
            assertThatThrownBy(() -> execute(c, "drop table " + name))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("must be owner of table " + name);

            assertThat(string(c, "select prediction_log_drop_partition(7, " + (today - 3) + ")"))
                    .as("a day still inside its retention stays")
                    .isEqualTo("f");
            assertThat(string(c, "select prediction_log_drop_partition(7, " + old + ")"))
                    .isEqualTo("t");
            assertThat(string(c, "select count(*) from pg_class where relname = '" + name + "'"))
                    .isEqualTo("0");
            assertThat(string(c, "select prediction_log_drop_partition(7, " + old + ")"))
                    .as("a day that does not exist")
                    .isEqualTo("f");

            for (String sql : List.of(
                    "select prediction_log_ensure_partition(0, " + today + ")",
                    "select prediction_log_ensure_partition(7, 2932897)",
                    "select prediction_log_drop_partition(null, " + old + ")")) {
                assertThatThrownBy(() -> execute(c, sql))
                        .as(sql)
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState())
                                .as(sql)
                                .isEqualTo("22023")); // invalid_parameter_value
            }
        }
    }

    @Test
    void shouldDropOnlyDailyPartitionsOfThePredictionLogEvenWhenATableHasTheName() throws SQLException {
        long old = LocalDate.now(ZoneOffset.UTC).toEpochDay() - 500;
        String lookalike = "prediction_log_r7_d" + LocalDate.ofEpochDay(old).format(DateTimeFormatter.BASIC_ISO_DATE);
        try (Connection owner = TestDatabase.ownerConnection(jdbcUrl)) {
            execute(owner, "create table " + lookalike + " (id int)");
        }
        try (Connection c = dataSource.getConnection()) {
            assertThat(string(c, "select prediction_log_drop_partition(7, " + old + ")"))
                    .isEqualTo("f");
            assertThat(string(c, "select count(*) from pg_class where relname = '" + lookalike + "'"))
                    .isEqualTo("1");
        } finally {
            try (Connection owner = TestDatabase.ownerConnection(jdbcUrl)) {
                execute(owner, "drop table " + lookalike);
            }
        }
    }

    private static String string(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        }
    }
}
