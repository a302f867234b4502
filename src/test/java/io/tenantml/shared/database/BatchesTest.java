package io.tenantml.shared.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

class BatchesTest {

    @Test
    void shouldRunBatchesUntilOneComesBackShortOrTheRunsShareIsDone() throws SQLException {
        List<Long> sizes = new ArrayList<>(List.of(10L, 10L, 4L, 10L));
        assertThat(Batches.untilShort(10, 100, sizes::removeFirst)).isEqualTo(24);
        assertThat(sizes).containsExactly(10L);

        int[] runs = {0};
        assertThat(Batches.untilShort(10, 3, () -> {
                    runs[0]++;
                    return 10;
                }))
                .isEqualTo(30);
        assertThat(runs[0]).isEqualTo(3);
    }

    /** A scheduled pass that meets a database failure logs it and leaves the rest to the next run. */
    @Test
    void shouldLogADatabaseFailureOfAScheduledPassInsteadOfThrowingIt() {
        String category = "batches-test-" + System.nanoTime();
        java.util.logging.Logger julLogger = java.util.logging.Logger.getLogger(category);
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        julLogger.addHandler(capture);
        try {
            Batches.scheduled(Logger.getLogger(category), "Test rows not deleted", () -> {
                throw new SQLException("connection refused");
            });
        } finally {
            julLogger.removeHandler(capture);
        }
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.getMessage()).contains("Test rows not deleted (the next run tries again)");
            assertThat(r.getThrown()).hasMessage("connection refused");
        });

        // anything else is a bug, not a passing outage: it is not swallowed
        assertThatThrownBy(() -> Batches.scheduled(Logger.getLogger(category), "Test rows not deleted", () -> {
                    throw new IllegalStateException("bug");
                }))
                .hasMessage("bug");
    }
}
