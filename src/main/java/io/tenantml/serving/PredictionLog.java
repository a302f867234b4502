package io.tenantml.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tenantml.serving.internal.BatchingQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * The asynchronous prediction log: {@link #record} only enqueues (never blocks a request); a daemon thread
 * named {@code tenantml-prediction-log} writes batches to PostgreSQL. A full queue drops records and counts
 * them in {@link ServingMetrics#LOG_DROPPED}; serving goes on.
 */
@ApplicationScoped
public class PredictionLog {

    private static final Logger LOG = Logger.getLogger(PredictionLog.class);
    private static final String COPY =
            "COPY prediction_log (id, tenant_id, model, version, predicted_at, features, output) " + "FROM STDIN";
    private static final String INSERT = "insert into prediction_log (id, tenant_id, model, version, predicted_at, "
            + "features, output) values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb) on conflict (id) do nothing";

    @Inject
    ServingConfig config;

    @Inject
    ServingMetrics metrics;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    private volatile BatchingQueue<LoggedPrediction> queue;

    void start(@Observes StartupEvent event) {
        queue();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (queue != null) {
            queue.close();
        }
    }

    /** Enqueues a prediction; returns false when it was dropped because the queue is full. */
    public boolean record(LoggedPrediction prediction) {
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
                    ServingConfig.Log log = config.log();
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
        try {
            copy(batch);
        } catch (IllegalStateException e) {
            if (batch.size() == 1) {
                throw e;
            }
            // One bad record (its tenant was offboarded meanwhile) must not cost the others: retry one by
            // one (the failed COPY wrote nothing; "on conflict do nothing" makes a retry safe regardless).
            for (LoggedPrediction p : batch) {
                try {
                    insert(List.of(p));
                } catch (IllegalStateException single) {
                    metrics.logDropped(p.tenant().value(), p.model());
                }
            }
        }
    }

    /**
     * Writes a batch with COPY: at full load the log must keep up with the predictions, and COPY costs
     * PostgreSQL a fraction of the per-row work of INSERT. All or nothing: a failed batch left no rows.
     */
    private void copy(List<LoggedPrediction> batch) {
        StringBuilder text = new StringBuilder(batch.size() * 256);
        try {
            for (LoggedPrediction p : batch) {
                text.append(p.id()).append('\t').append(p.tenant().value()).append('\t');
                appendCopyText(text, p.model());
                text.append('\t')
                        .append(p.version())
                        .append('\t')
                        .append(p.predictedAt())
                        .append('\t');
                appendCopyText(text, featuresJson(p));
                text.append('\t');
                appendCopyText(text, json.writeValueAsString(p.output()));
                text.append('\n');
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(
                    "prediction log batch of " + batch.size() + " failed: " + e.getMessage(), e);
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
            throw new IllegalStateException(
                    "prediction log batch of " + batch.size() + " failed: " + e.getMessage(), e);
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

    private void insert(List<LoggedPrediction> batch) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (LoggedPrediction p : batch) {
                ps.setObject(1, p.id());
                ps.setString(2, p.tenant().value());
                ps.setString(3, p.model());
                ps.setInt(4, p.version());
                ps.setTimestamp(5, Timestamp.from(p.predictedAt()));
                ps.setString(6, featuresJson(p));
                ps.setString(7, json.writeValueAsString(p.output()));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(
                    "prediction log batch of " + batch.size() + " failed: " + e.getMessage(), e);
        }
    }

    private String featuresJson(LoggedPrediction p) {
        ObjectNode node = json.createObjectNode();
        for (int i = 0; i < p.features().length; i++) {
            float v = p.features()[i];
            if (Float.isNaN(v)) {
                node.putNull(p.featureNames()[i]);
            } else {
                node.put(p.featureNames()[i], v);
            }
        }
        return node.toString();
    }
}
