package io.tenantml.dataset.internal;

import io.tenantml.dataset.DatasetConfig;
import java.nio.file.Path;
import java.util.Optional;

/** The documented defaults of {@link DatasetConfig}, with limits a test may lower. */
record TestConfig(long maxBodyBytes, long maxRows, int maxColumns, int maxCellChars) implements DatasetConfig {

    static TestConfig defaults() {
        return new TestConfig(209_715_200L, 5_000_000L, 500, 65_536);
    }

    @Override
    public int maxExamples() {
        return 5;
    }

    @Override
    public Optional<Path> spoolDir() {
        return Optional.empty();
    }

    @Override
    public java.time.Duration staleSpoolAfter() {
        return java.time.Duration.ofHours(1);
    }

    @Override
    public java.time.Duration idempotencyLease() {
        return java.time.Duration.ofMinutes(15);
    }

    @Override
    public java.time.Duration idempotencyRetention() {
        return java.time.Duration.ofDays(7);
    }

    @Override
    public String idempotencyRetentionEvery() {
        return "off";
    }

    @Override
    public double shiftPsiThreshold() {
        return 0.2;
    }

    @Override
    public double shiftLinfThreshold() {
        return 0.1;
    }

    @Override
    public double completenessWarningFraction() {
        return 0.05;
    }

    @Override
    public double outlierIqrFactor() {
        return 3.0;
    }
}
