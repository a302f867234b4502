package io.tenantml.security;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

@ConfigMapping(prefix = "tenantml.security")
public interface SecurityConfig {

    /** Server secret for the HMAC under which API keys are stored (32+ bytes). Unset: one is created in the data dir. */
    Optional<String> keyHashSecret();

    /** An operator credential from a secret manager (32+ characters); unset: a generated key is written to the data dir. */
    Optional<String> bootstrapOperatorKey();
}
