package io.tenantml.dataset.internal;

import io.tenantml.dataset.DatasetFormat;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.dataset.IngestPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingestion pass of an upload run while its body is still being received: a thread of its own reads the
 * spool file as it grows (never past what has been written) and does the whole pass, so that parsing overlaps
 * with receiving. The pass is speculative: nothing of it is used or reported before the request thread has the
 * whole body, its SHA-256 and the Idempotency-Key claim, so replays, 409 and 422 and their order stay what they
 * were, and a parse error is only reported after them. The pass only writes work files; {@link #close} deletes
 * them unless {@link #result} handed them over.
 * <p>
 * Lifecycle (request thread): {@link #start}, {@link #written} as bytes reach the file, then {@link #received}
 * when the body is complete (a body that failed is never marked received); then {@link #result} or not, and
 * {@link #close} always. After {@code close} the thread has ended.
 */
public final class SpeculativeIngestion implements AutoCloseable {

    private static final AtomicLong THREADS = new AtomicLong();

    private final Path file;
    private final Thread thread;
    private final Object monitor = new Object();
    /** Guarded by {@link #monitor}. */
    private long written;

    private boolean complete;
    private boolean abandoned;
    /** Set by the pass's thread before it ends; read after {@link Thread#join}. */
    private Ingestion.Outcome outcome;

    private Throwable failure;
    private boolean handedOver;

    private SpeculativeIngestion(
            Path file,
            Ingestion ingestion,
            DatasetFormat format,
            DatasetSchema schema,
            IngestPolicy policy,
            Ingestion.Previous previous,
            Path workDir) {
        this.file = file;
        this.thread = new Thread(
                () -> {
                    try {
                        outcome = ingestion.run(this::open, format, schema, policy, previous, workDir);
                    } catch (Throwable t) {
                        failure = t;
                    }
                },
                "tenantml-ingest-parse-" + THREADS.incrementAndGet());
        this.thread.setDaemon(true);
    }

    /** Starts the pass over {@code file}, which the caller is about to fill. */
    public static SpeculativeIngestion start(
            Path file,
            Ingestion ingestion,
            DatasetFormat format,
            DatasetSchema schema,
            IngestPolicy policy,
            Ingestion.Previous previous,
            Path workDir) {
        SpeculativeIngestion s = new SpeculativeIngestion(file, ingestion, format, schema, policy, previous, workDir);
        s.thread.start();
        return s;
    }

    /** The first {@code total} bytes of the body are in the file. */
    public void written(long total) {
        synchronized (monitor) {
            written = total;
            monitor.notifyAll();
        }
    }

    /** The whole body is in the file: the pass may now see its end. */
    public void received() {
        synchronized (monitor) {
            complete = true;
            monitor.notifyAll();
        }
    }

    /**
     * Waits for the pass and returns its outcome (whose work files the caller then owns), or rethrows the
     * failure the pass would have thrown on the request thread (a parse error, a limit, a policy refusal).
     */
    public Ingestion.Outcome result() throws IOException {
        join();
        if (failure != null) {
            switch (failure) {
                case IOException e -> throw e;
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                default -> throw new IllegalStateException("Ingestion failed", failure);
            }
        }
        handedOver = true;
        return outcome;
    }

    /** Stops the pass if it still runs, waits for its thread, and deletes its work files unless handed over. */
    @Override
    public void close() throws IOException {
        synchronized (monitor) {
            abandoned = true;
            monitor.notifyAll();
        }
        join();
        if (!handedOver && outcome != null) {
            Files.deleteIfExists(outcome.rowsFile());
            if (outcome.quarantineFile() != null) {
                Files.deleteIfExists(outcome.quarantineFile());
            }
        }
    }

    private void join() throws IOException {
        // The pass must have ended before its files are handed over or deleted.
        boolean interrupted = Threads.joinUninterruptibly(thread, () -> {
            synchronized (monitor) {
                abandoned = true;
                monitor.notifyAll();
            }
        });
        if (interrupted) {
            throw new InterruptedIOException("Interrupted while waiting for the ingestion pass");
        }
    }

    /** The spool from its start, as far as it has been written; the end only once the body is complete. */
    private InputStream open() throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        return new InputStream() {
            private long position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                long available = await(position);
                if (available < 0) {
                    return -1;
                }
                int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, available)), position);
                if (n <= 0) {
                    throw new IOException("The spool file " + file + " is shorter than the bytes written to it");
                }
                position += n;
                return n;
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    /** Bytes readable at {@code position}: more than 0, or -1 at the end of a complete body. */
    private long await(long position) throws IOException {
        synchronized (monitor) {
            while (true) {
                if (abandoned) {
                    throw new Abandoned();
                }
                if (written > position) {
                    return written - position;
                }
                if (complete) {
                    return -1;
                }
                try {
                    monitor.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("Interrupted while waiting for the upload body");
                }
            }
        }
    }

    /** The pass was stopped: the body failed or the request did not need it. */
    static final class Abandoned extends IOException {
        Abandoned() {
            super("speculative ingestion pass abandoned");
        }
    }
}
