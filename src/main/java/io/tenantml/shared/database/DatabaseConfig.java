package io.tenantml.shared.database;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The role Flyway migrates as. It owns every table and function; the application's own connections
 * ({@code quarkus.datasource.username}) use a role that owns nothing and holds only the grants of V103.
 */
@ConfigMapping(prefix = "tenantml.database")
public interface DatabaseConfig {

    /** Role that runs the migrations and owns the schema (it creates the application's role if missing). */
    @WithDefault("postgres")
    String migrationUser();

    /** Its password; none for trust or peer authentication. */
    Optional<String> migrationPassword();
}
