package io.tenantml.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

@ConfigMapping(prefix = "tenantml.storage")
public interface StorageConfig {

    /** Root of all platform files (blobs, generated secrets, the operator key); TENANTML_DATA_DIR. Shared by all nodes. */
    @WithDefault("./data")
    Path dataDir();
}
