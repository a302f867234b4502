package io.tenantml.dataset.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands accepted rows to another thread (to profile them, or to encode, compress and hash them), so that
 * this work overlaps with parsing and typing on the parsing thread: ingestion is CPU-bound and the machine
 * has more than one core. Rows reach the handler in their order, one at a time, so everything it computes is
 * what a single thread would compute (the same stored bytes, the same profile).
 * <p>
 * Memory stays bounded whatever the upload's size: at most {@link #QUEUED} batches wait, each of at most
 * {@link #BATCH_ROWS} rows and about {@link #BATCH_CHARS} characters of text.
 * <p>
 * Lifecycle: {@link #add} rows, then {@link #finish} (waits until the handler has taken every row and
 * rethrows its failure); {@link #close} always, which stops the thread without finishing when the upload
 * failed. After {@code finish} or {@code close} returns, the handler's work happens-before the caller's
 * next action (the thread has been joined).
 */
final class RowSink implements AutoCloseable {

    /** What the second thread does with each row. */
    @FunctionalInterface
    interface Handler {
        void row(long line, Object[] values) throws IOException;
    }

    static final int BATCH_ROWS = 1024;
    static final long BATCH_CHARS = 1 << 20;
    static final int QUEUED = 4;
    private static final AtomicLong THREADS = new AtomicLong();

    private static final class Batch {
        final long[] lines = new long[BATCH_ROWS];
        final Object[][] rows = new Object[BATCH_ROWS][];
        int size;
        long chars;
    }

    private static final Batch END = new Batch();

    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUED);
    private final Handler handler;
    private final Thread thread;
    private Batch current = new Batch();
    private volatile Throwable failure;
    private volatile boolean aborted;
    private boolean ended;

    RowSink(Handler handler) {
        this.handler = handler;
        this.thread = new Thread(this::work, "tenantml-ingest-" + THREADS.incrementAndGet());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a row; {@code values} must not be changed afterwards. Fails fast when the handler failed. */
    void add(long line, Object[] values) throws IOException {
        Batch b = current;
        b.lines[b.size] = line;
        b.rows[b.size++] = values;
        for (Object v : values) {
            if (v instanceof String s) {
                b.chars += s.length();
            }
        }
        if (b.size == BATCH_ROWS || b.chars >= BATCH_CHARS) {
            send(b);
            current = new Batch();
        }
    }

    /** Waits until every queued row has been handled; rethrows the handler's failure. */
    void finish() throws IOException {
        if (current.size > 0) {
            send(current);
            current = new Batch();
        }
        end();
        rethrow();
    }

    @Override
    public void close() {
        if (!ended) {
            aborted = true;
            queue.clear();
            end();
        }
    }

    /** Whether the second thread still runs (for tests: it must be gone once close() returned). */
    boolean running() {
        return thread.isAlive();
    }

    private void send(Batch b) throws IOException {
        rethrow();
        try {
            queue.put(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while handing rows to " + thread.getName());
        }
    }

    /** Sends the end marker and joins the thread, even when interrupted: the caller deletes files the thread writes. */
    private void end() {
        ended = true;
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(END);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        Threads.joinUninterruptibly(thread, () -> {});
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void work() {
        while (true) {
            Batch b;
            try {
                b = queue.take();
            } catch (InterruptedException e) {
                // Nobody else holds this thread; stay to drain the queue, so that the producer never blocks.
                failure = e;
                continue;
            }
            if (b == END) {
                return;
            }
            if (failure != null || aborted) {
                continue;
            }
            try {
                for (int i = 0; i < b.size; i++) {
                    handler.row(b.lines[i], b.rows[i]);
                }
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    private void rethrow() throws IOException {
        Throwable t = failure;
        if (t == null) {
            return;
        }
        if (t instanceof IOException e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new UncheckedIOException(new IOException("row handler failed", t));
    }
}
