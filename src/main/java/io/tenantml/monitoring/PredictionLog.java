package io.tenantml.monitoring;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tenantml.monitoring.internal.BatchingQueue;
import io.tenantml.monitoring.internal.LogPartitions;
import io.tenantml.monitoring.internal.PredictionRecordCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * The asynchronous prediction log, the one way serving hands predictions to monitoring: {@link #record}
 * only samples and enqueues (never blocks a request); a daemon thread named {@code tenantml-prediction-log}
 * writes batches to PostgreSQL with COPY. A full queue drops records and counts them in
 * {@link MonitoringMetrics#LOG_DROPPED}; serving goes on. Layout and retention: docs/architecture.md,
 * "Prediction log".
 */
@ApplicationScoped
public class PredictionLog {

    private static final Logger LOG = Logger.getLogger(PredictionLog.class);
    private static final String COPY =
            "COPY prediction_log (predicted_at, id, version, retention_days, tenant_id, model, record) FROM STDIN";
    private static final String INSERT = "insert into prediction_log (predicted_at, id, version, retention_days, "
            + "tenant_id, model, record) values (?, ?, ?, ?, ?, ?, ?)";

    @Inject
    MonitoringConfig config;

    @Inject
    MonitoringMetrics metrics;

    @Inject
    LogSettings settings;

    @Inject
    LogPartitions partitions;

    @Inject
    AgroalDataSource dataSource;

    private volatile BatchingQueue<LoggedPrediction> queue;

    /** A record as it is written: its payload and partition decided on the writer thread. */
    private record Row(LoggedPrediction p, int retentionClass, byte[] payload) {}

    void start(@Observes StartupEvent event) {
        try {
            partitions.maintain();
        } catch (RuntimeException e) {
            // the writer creates missing partitions on demand; the hourly maintenance retries the rest
            LOG.warnf(e, "prediction log partitions could not be prepared at startup");
        }
        queue();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (queue != null) {
            queue.close();
        }
    }

    /**
     * Samples and enqueues a prediction. Returns false only when it was dropped because the queue is full
     * (a prediction left out by the model's sampling is not a drop). The sampling decision uses the id's
     * random low bits, so it needs no random source and is the same on every node. It never blocks: when
     * the model's rate is not in memory, the writer thread decides (and loads it).
     */
    public boolean record(LoggedPrediction prediction) {
        int every = settings.sampledEveryIfCached(prediction.tenant(), prediction.model());
        if (every > 1 && !LogSettings.sampled(prediction.id(), every)) {
            return true;
        }
        return queue().offer(prediction);
    }

    /** Waits until every record enqueued so far is written (or dropped by a failed write). */
    public boolean flush(Duration timeout) throws InterruptedException {
        return queue().flush(timeout);
    }

    private BatchingQueue<LoggedPrediction> queue() {
        BatchingQueue<LoggedPrediction> q = queue;
        if (q == null) {
            synchronized (this) {
                if (queue == null) {
                    MonitoringConfig.Log log = config.log();
                    queue = new BatchingQueue<LoggedPrediction>(
                                    "tenantml-prediction-log",
                                    log.queueCapacity(),
                                    log.batchSize(),
                                    log.flushInterval(),
                                    this::write,
                                    p -> metrics.logDropped(p.tenant().value(), p.model()),
                                    e -> LOG.warnf(e, "a batch of the prediction log could not be written"))
                            .start();
                }
                q = queue;
            }
        }
        return q;
    }

    private void write(List<LoggedPrediction> batch) {
        List<Row> rows = new ArrayList<>(batch.size());
        for (LoggedPrediction p : batch) {
            try {
                int every = settings.sampledEvery(p.tenant(), p.model());
                if (!LogSettings.sampled(p.id(), every)) {
                    continue; // enqueued before the rate was in memory: left out now, not a drop
                }
                int retentionClass = settings.retentionClass(p.tenant());
                long day = LogPartitions.dayOf(p.predictedAt().toEpochMilli());
                if (partitions.expired(retentionClass, day)) {
                    metrics.logDropped(p.tenant().value(), p.model());
                    continue;
                }
                partitions.ensure(retentionClass, day);
                byte[] payload = PredictionRecordCodec.encode(every, p.kinds(), p.features(), p.outputs());
                rows.add(new Row(p, retentionClass, payload));
            } catch (RuntimeException e) {
                LOG.warnf(e, "a prediction-log record of tenant %s could not be prepared", p.tenant());
                metrics.logDropped(p.tenant().value(), p.model());
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        try {
            copy(rows);
        } catch (IllegalStateException e) {
            partitions.forget();
            // One bad record (its tenant was offboarded meanwhile, its partition dropped by another node)
            // must not cost the others: retry one by one (the failed COPY wrote nothing).
            for (Row row : rows) {
                try {
                    partitions.ensure(
                            row.retentionClass(),
                            LogPartitions.dayOf(row.p().predictedAt().toEpochMilli()));
                    insert(row);
                } catch (RuntimeException single) {
                    metrics.logDropped(row.p().tenant().value(), row.p().model());
                }
            }
        }
    }

    /**
     * Writes a batch with COPY: at full load the log must keep up with the predictions, and COPY costs
     * PostgreSQL a fraction of the per-row work of INSERT. All or nothing: a failed batch left no rows.
     */
    private void copy(List<Row> rows) {
        HexFormat hex = HexFormat.of();
        StringBuilder text = new StringBuilder(rows.size() * 160);
        for (Row row : rows) {
            LoggedPrediction p = row.p();
            text.append(p.predictedAt().toEpochMilli())
                    .append('\t')
                    .append(p.id())
                    .append('\t')
                    .append(p.version())
                    .append('\t')
                    .append(row.retentionClass())
                    .append('\t')
                    .append(p.tenant().value()) // [a-z0-9-] only: nothing to escape
                    .append('\t');
            appendCopyText(text, p.model());
            // bytea in COPY text: the hex form \x..., its backslash escaped for COPY
            text.append("\t\\\\x").append(hex.formatHex(row.payload())).append('\n');
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var statement = c.createStatement()) {
                // The log is best effort by design (a full queue drops records): a database crash may lose
                // the last batches too, and in exchange a commit does not wait for the WAL flush.
                statement.execute("SET LOCAL synchronous_commit = off");
            }
            try {
                c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY, new StringReader(text.toString()));
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("prediction log batch of " + rows.size() + " failed: " + e.getMessage(), e);
        }
    }

    /** A value in COPY's text format: backslash, tab and line breaks escaped. */
    private static void appendCopyText(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
    }

    private void insert(Row row) {
        LoggedPrediction p = row.p();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setLong(1, p.predictedAt().toEpochMilli());
            ps.setObject(2, p.id());
            ps.setInt(3, p.version());
            ps.setShort(4, (short) row.retentionClass());
            ps.setString(5, p.tenant().value());
            ps.setString(6, p.model());
            ps.setBytes(7, row.payload());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("prediction log record failed: " + e.getMessage(), e);
        }
    }
}
