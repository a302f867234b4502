package io.tenantml.shared.database;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.postgresql.PGConnection;

/**
 * Points Flyway at the owner role instead of the application's pool, and tells the migrations which role the
 * application connects as (placeholder {@code app_role}, used by V103 to create and grant it).
 *
 * <p>Quarkus' own {@code quarkus.flyway.username}/{@code password} apply only when both are set, and an empty
 * password (trust authentication) counts as unset: Flyway would then silently migrate through the application's
 * pool as the role that owns nothing. Setting the connection here has no such fallback.
 *
 * <p>The application role's password, when configured, is set after every migrate, hashed by the driver
 * (SCRAM) before it is sent: it never appears in SQL text, the server's statement log or Flyway's errors.
 */
@Singleton
public class MigrationConnection implements FlywayConfigurationCustomizer {

    /** A plain lower-case identifier: it goes into V103 through a placeholder, and is quoted there as well. */
    private static final Pattern ROLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final DatabaseConfig config;
    private final String url;
    private final String appRole;
    private final Optional<String> appPassword;

    MigrationConnection(
            DatabaseConfig config,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String appRole,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> appPassword) {
        this.config = config;
        this.url = url;
        this.appRole = appRole;
        this.appPassword = appPassword;
    }

    @Override
    public void customize(FluentConfiguration configuration) {
        if (!ROLE.matcher(appRole).matches()) {
            throw new IllegalStateException("quarkus.datasource.username (TENANTML_DB_USER) must be a lower-case "
                    + "PostgreSQL identifier ([a-z_][a-z0-9_]*), got '" + appRole + "'");
        }
        if (appRole.equals(config.migrationUser())) {
            throw new IllegalStateException("the application's database role (TENANTML_DB_USER) must not be the "
                    + "migration role (TENANTML_DB_MIGRATION_USER): both are '" + appRole + "'");
        }
        configuration.dataSource(
                url, config.migrationUser(), config.migrationPassword().orElse(""));
        Map<String, String> placeholders = new HashMap<>(configuration.getPlaceholders());
        placeholders.put("app_role", appRole);
        configuration.placeholders(placeholders);
        if (appPassword.isPresent()) {
            List<Callback> callbacks = new ArrayList<>(List.of(configuration.getCallbacks()));
            callbacks.add(new AppRolePassword(appRole, appPassword.get()));
            configuration.callbacks(callbacks.toArray(Callback[]::new));
        }
    }

    /** Sets the application role's password as the owner, once the migrations (which create the role) ran. */
    private record AppRolePassword(String role, String password) implements Callback {

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.AFTER_MIGRATE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            Connection c = context.getConnection();
            try {
                try (PreparedStatement ps = c.prepareStatement("select 1 from pg_roles where rolname = ?")) {
                    ps.setString(1, role);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return; // before V103 ran (a target version below it): nothing to set yet
                        }
                    }
                }
                c.unwrap(PGConnection.class).alterUserPassword(role, password.toCharArray(), "scram-sha-256");
            } catch (SQLException e) {
                // the driver's message never contains the password (it sends only the SCRAM verifier)
                throw new IllegalStateException(
                        "the password of database role " + role + " could not be set: " + e.getMessage(), e);
            }
        }

        @Override
        public String getCallbackName() {
            return "app-role-password";
        }

        @Override
        public String toString() {
            return "AppRolePassword[role=" + role + "]";
        }
    }
}
