package io.tenantml.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

@ConfigMapping(prefix = "tenantml.storage")
public interface StorageConfig {

    /** Root of all platform files (blobs, generated secrets, the operator key); TENANTML_DATA_DIR. Shared by all nodes. */
    @WithDefault("./data")
    Path dataDir();

    /**
     * An uncommitted blob write last written longer ago than this before a node started is one whose node died
     * mid-write; every node deletes such leftovers in its sweep after start ({@link StartupSweeps}). Nodes share
     * the data directory, so this must exceed the longest pause between two writes of a running write (a batch
     * prediction writes its results file once per chunk).
     */
    @WithDefault("PT1H")
    java.time.Duration abandonedWriteAfter();
}
