package io.tenantml.dataset.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RowSinkTest {

    @Test
    void shouldHandEveryRowInOrderBeforeFinishReturns() throws IOException {
        List<Long> lines = new ArrayList<>();
        int n = 5 * RowSink.BATCH_ROWS + 7;
        try (RowSink sink = new RowSink((line, values) -> lines.add(line))) {
            for (int i = 1; i <= n; i++) {
                sink.add(i, new Object[] {"v" + i});
            }
            sink.finish();
        }
        assertThat(lines).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(lines.get(i)).isEqualTo(i + 1L);
        }
    }

    @Test
    void shouldRethrowTheHandlersFailureToTheProducer() {
        AtomicInteger handled = new AtomicInteger();
        assertThatThrownBy(() -> {
                    try (RowSink sink = new RowSink((line, values) -> {
                        if (line == 3000) {
                            throw new IOException("disk full");
                        }
                        handled.incrementAndGet();
                    })) {
                        for (int i = 1; i <= 100_000; i++) {
                            sink.add(i, new Object[] {i});
                        }
                        sink.finish();
                    }
                })
                .isInstanceOf(IOException.class)
                .hasMessage("disk full");
        // Nothing after the failing row was handled.
        assertThat(handled.get()).isEqualTo(2999);
    }

    @Test
    void shouldStopWithoutHandlingTheRestWhenClosedUnfinished() throws IOException {
        AtomicInteger handled = new AtomicInteger();
        int n = 10 * RowSink.BATCH_ROWS;
        RowSink sink = new RowSink((line, values) -> handled.incrementAndGet());
        try (sink) {
            for (int i = 1; i <= n; i++) {
                sink.add(i, new Object[] {i});
            }
        }
        // close() joined the thread (the caller deletes the files it writes): nothing is handled after it returned.
        assertThat(sink.running()).isFalse();
        int after = handled.get();
        assertThat(after).isBetween(0, n);
        assertThat(handled.get()).isEqualTo(after);
    }
}
