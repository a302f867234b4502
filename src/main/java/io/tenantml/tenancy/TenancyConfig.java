package io.tenantml.tenancy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

@ConfigMapping(prefix = "tenantml.tenancy")
public interface TenancyConfig {

    /** Directory of declarative tenant manifests ({@code <id>/tenant.yaml}), applied at every start. */
    @WithDefault("tenants")
    Path manifestsDir();
}
