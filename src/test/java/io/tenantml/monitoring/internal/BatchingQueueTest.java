package io.tenantml.monitoring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchingQueueTest {

    final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    final List<Integer> dropped = new CopyOnWriteArrayList<>();
    final AtomicInteger failures = new AtomicInteger();

    @Test
    void shouldWriteEverythingInBatchesNoLargerThanTheBatchSize() throws Exception {
        try (var queue = new BatchingQueue<Integer>(
                        "test-log",
                        1_000,
                        50,
                        Duration.ofMillis(20),
                        batches::add,
                        dropped::add,
                        e -> failures.incrementAndGet())
                .start()) {
            for (int i = 0; i < 500; i++) {
                assertThat(queue.offer(i)).isTrue();
            }
            assertThat(queue.flush(Duration.ofSeconds(10))).isTrue();
        }
        List<Integer> written = new ArrayList<>();
        batches.forEach(written::addAll);
        assertThat(written).hasSize(500).doesNotHaveDuplicates();
        assertThat(batches).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(50));
        assertThat(dropped).isEmpty();
    }

    @Test
    void shouldDropAndReportWithoutBlockingWhenTheQueueIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        try (var queue = new BatchingQueue<Integer>(
                        "test-log",
                        3,
                        1,
                        Duration.ofMillis(1),
                        batch -> {
                            writing.countDown();
                            try {
                                release.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            batches.add(batch);
                        },
                        dropped::add,
                        e -> failures.incrementAndGet())
                .start()) {
            queue.offer(0);
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            // The writer is stuck on item 0: three more fill the queue, the rest are dropped at once.
            long started = System.nanoTime();
            List<Boolean> accepted = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                accepted.add(queue.offer(i));
            }
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started))
                    .isLessThan(1);
            assertThat(accepted).containsExactly(true, true, true, false, false, false);
            assertThat(dropped).containsExactly(4, 5, 6);
            release.countDown();
            assertThat(queue.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(batches.stream().flatMap(List::stream).toList()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void shouldKeepWritingAfterASinkFailure() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (var queue = new BatchingQueue<Integer>(
                        "test-log",
                        100,
                        1,
                        Duration.ofMillis(1),
                        batch -> {
                            if (calls.incrementAndGet() == 1) {
                                throw new IllegalStateException("database down");
                            }
                            batches.add(batch);
                        },
                        dropped::add,
                        e -> failures.incrementAndGet())
                .start()) {
            queue.offer(1);
            assertThat(queue.flush(Duration.ofSeconds(10))).isTrue();
            queue.offer(2);
            assertThat(queue.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(failures).hasValue(1);
        assertThat(batches).containsExactly(List.of(2));
    }

    @Test
    void shouldRunOnANamedDaemonThread() throws Exception {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        try (var queue = new BatchingQueue<Integer>(
                        "tenantml-test-writer",
                        10,
                        10,
                        Duration.ofMillis(1),
                        batch -> threads.add(Thread.currentThread()),
                        dropped::add,
                        e -> failures.incrementAndGet())
                .start()) {
            queue.offer(1);
            assertThat(queue.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(threads).singleElement().satisfies(t -> {
            assertThat(t.getName()).isEqualTo("tenantml-test-writer");
            assertThat(t.isDaemon()).isTrue();
        });
    }
}
