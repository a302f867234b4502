package io.tenantml.dataset;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Limits and thresholds of dataset ingestion. */
@ConfigMapping(prefix = "tenantml.dataset")
public interface DatasetConfig {

    /** Largest upload body in bytes; above it the upload gets 413 naming {@code maxBodyBytes}. */
    @WithDefault("209715200")
    long maxBodyBytes();

    /** Most data rows in one upload; above it 413 naming {@code maxRows}. */
    @WithDefault("5000000")
    long maxRows();

    /** Most columns in one upload; above it 422 naming {@code maxColumns}. */
    @WithDefault("500")
    int maxColumns();

    /** Longest cell in characters; above it 422 naming {@code maxCellChars}. */
    @WithDefault("65536")
    int maxCellChars();

    /** Example lines kept per anomaly. */
    @WithDefault("5")
    int maxExamples();

    /** Where uploads are spooled while they are validated; empty means the JVM's temp directory. */
    Optional<Path> spoolDir();

    /**
     * Work files (spooled bodies, rows and quarantine files being written, an append's records) untouched for
     * this long before a node started are what a crashed upload or append left behind, and are deleted by its sweep
     * after start. Every node on a host
     * may share the directory, so files of uploads still running elsewhere must be younger than this.
     */
    @WithDefault("PT1H")
    java.time.Duration staleSpoolAfter();

    /**
     * How long an Idempotency-Key claim of an upload that has not completed holds: a claim older than this
     * is taken over by a retry of the same request (its node died mid-upload); until then the retry gets
     * 409. Longer than any upload takes; an upload that outlives its lease fails at commit, so only one
     * of the two ever commits.
     */
    @WithDefault("PT15M")
    java.time.Duration idempotencyLease();

    /**
     * How long an upload's Idempotency-Key is remembered: a retry within this replays the first answer (or is refused
     * as another request under the same key); after it, the key is forgotten and the same key is a new request (an
     * upload identical to the latest version is then answered unchanged, storing nothing). Without it every key ever
     * sent was kept for good. Far longer than any client retries.
     */
    @WithDefault("P7D")
    java.time.Duration idempotencyRetention();

    /** How often one node of the cluster forgets the keys older than {@link #idempotencyRetention()}. */
    @WithDefault("1h")
    String idempotencyRetentionEvery();

    /** Population stability index above which a numeric column is reported as shifted. */
    @WithDefault("0.2")
    double shiftPsiThreshold();

    /** L-infinity distance of value frequencies above which a categorical column is reported as shifted. */
    @WithDefault("0.1")
    double shiftLinfThreshold();

    /** Missing fraction above which completeness is a warning rather than info. */
    @WithDefault("0.05")
    double completenessWarningFraction();

    /** Tukey fence factor k in [Q1 - k*IQR, Q3 + k*IQR] for robust outliers. */
    @WithDefault("3.0")
    double outlierIqrFactor();
}
