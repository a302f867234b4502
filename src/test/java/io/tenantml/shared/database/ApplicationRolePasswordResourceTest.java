package io.tenantml.shared.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tenantml.testing.TestDatabase;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A deployment that names its own application role and gives it a password: the migrations create that role,
 * and the password is stored on it as a SCRAM verifier (hashed by the driver: no statement carries it).
 */
@QuarkusTest
@TestProfile(ApplicationRolePasswordResourceTest.NamedRoleWithPassword.class)
class ApplicationRolePasswordResourceTest {

    static final String ROLE = "tenantml_app_pw_test";
    // quotes and a dollar quote: it must never be spliced into SQL
    static final String PASSWORD = "s3cret-'quoted'-$$-0123456789";

    public static class NamedRoleWithPassword implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.username", ROLE, "quarkus.datasource.password", PASSWORD);
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void shouldConnectAsTheNamedRoleWhosePasswordIsStoredOnlyAsAScramVerifier() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            assertThat(string(c, "select current_user")).isEqualTo(ROLE);
            assertThat(string(c, "select rolsuper from pg_roles where rolname = current_user"))
                    .isEqualTo("f");
        }
        try (Connection owner = TestDatabase.ownerConnection(jdbcUrl)) {
            assertThat(string(owner, "select rolpassword from pg_authid where rolname = '" + ROLE + "'"))
                    .startsWith("SCRAM-SHA-256$")
                    .doesNotContain(PASSWORD);
        }
    }

    private static String string(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }
}
