package io.tenantml.monitoring.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A bounded hand-off from request threads to one named daemon writer. {@link #offer} never blocks: when
 * the queue is full the item is dropped and reported to {@code onDrop}, so a slow database can cost log
 * records but never request latency. The writer drains up to {@code batchSize} items, waiting at most
 * {@code flushInterval} for a partial batch; a failing sink loses that batch (reported) and the writer
 * carries on.
 */
public final class BatchingQueue<T> implements AutoCloseable {

    private final BlockingQueue<T> queue;
    private final int batchSize;
    private final long flushNanos;
    private final Consumer<List<T>> sink;
    private final Consumer<T> onDrop;
    private final Consumer<RuntimeException> onSinkFailure;
    private final Thread writer;
    private volatile boolean running = true;
    private final Object idle = new Object();
    private final java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();
    private long handled;

    public BatchingQueue(
            String threadName,
            int capacity,
            int batchSize,
            Duration flushInterval,
            Consumer<List<T>> sink,
            Consumer<T> onDrop,
            Consumer<RuntimeException> onSinkFailure) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batchSize = batchSize;
        this.flushNanos = Objects.requireNonNull(flushInterval, "flushInterval").toNanos();
        this.sink = Objects.requireNonNull(sink, "sink");
        this.onDrop = Objects.requireNonNull(onDrop, "onDrop");
        this.onSinkFailure = Objects.requireNonNull(onSinkFailure, "onSinkFailure");
        this.writer = new Thread(this::drainLoop, Objects.requireNonNull(threadName, "threadName"));
        writer.setDaemon(true);
    }

    public BatchingQueue<T> start() {
        writer.start();
        return this;
    }

    /** Enqueues without blocking; returns false (and reports the drop) when the queue is full. */
    public boolean offer(T item) {
        if (running && queue.offer(item)) {
            accepted.incrementAndGet();
            return true;
        }
        onDrop.accept(item);
        return false;
    }

    public int pending() {
        return queue.size();
    }

    /** Waits until everything enqueued before this call has been handed to the sink (tests, shutdown). */
    public boolean flush(Duration timeout) throws InterruptedException {
        long target = accepted.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (handled < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !writer.isAlive()) {
                    return false;
                }
                idle.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return true;
    }

    private void drainLoop() {
        List<T> batch = new ArrayList<>(batchSize);
        while (running || !queue.isEmpty()) {
            try {
                T first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + flushNanos;
                while (batch.size() < batchSize) {
                    queue.drainTo(batch, batchSize - batch.size());
                    long left = deadline - System.nanoTime();
                    if (batch.size() >= batchSize || left <= 0) {
                        break;
                    }
                    T next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                write(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } finally {
                int written = batch.size();
                batch.clear();
                synchronized (idle) {
                    handled += written;
                    idle.notifyAll();
                }
            }
        }
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    private void write(List<T> batch) {
        try {
            sink.accept(List.copyOf(batch));
        } catch (RuntimeException e) {
            onSinkFailure.accept(e);
        }
    }

    /** Stops accepting, writes what is queued, and ends the writer (waits up to five seconds). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        writer.join(5_000);
        if (writer.isAlive()) {
            writer.interrupt();
        }
    }
}
