package io.tenantml.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.dataset.bench.BenchmarkDocs;
import io.tenantml.feature.ValueKind;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.TimeOrderedIds;
import io.tenantml.testing.Api;
import io.tenantml.testing.TestDatabase;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * Bytes per record of the prediction log (table, its TOAST and indexes) after 1,000,000 predictions of the
 * 6-feature demo model (penguins, multiclass: six inputs, six features, three class probabilities). Records
 * go through {@link PredictionLog#record} (the writer serving uses), not through HTTP. The same predictions
 * are also written in the layout main had before (V30: one row with JSON features by name and JSON output,
 * btree primary key and a btree on tenant, model and time), into the table kept from it, for a before/after
 * measured side by side. Writes the section "Prediction log: bytes per record" of docs/benchmarks.md.
 * Run: {@code ./mvnw -B test -Dtest=PredictionLogSizeBenchmarkTest -Dtenantml.test.excluded-groups=none}
 */
@Tag("benchmark")
@QuarkusTest
class PredictionLogSizeBenchmarkTest {

    private static final int RECORDS = 1_000_000;
    private static final int CHUNK = 10_000; // below the queue's capacity: nothing is dropped
    private static final long SEED = 42L;
    private static final String[] NAMES = {
        "Island", "Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)", "Sex"
    };
    private static final String[] SPECIES = {"Adelie", "Chinstrap", "Gentoo"};

    @Inject
    PredictionLog log;

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void measureBytesPerRecordAgainstTheGoal() throws Exception {
        String tenant = Api.uniqueTenant("plogsize");
        Api.createTenant(tenant);
        SplittableRandom random = new SplittableRandom(SEED);
        Instant start = Instant.now();
        StringBuilder before = new StringBuilder();
        for (int written = 0; written < RECORDS; written += CHUNK) {
            before.setLength(0);
            for (int i = 0; i < CHUNK; i++) {
                UUID id = TimeOrderedIds.next();
                Instant at = start.plusMillis((written + i) / 20); // 20 predictions per millisecond
                ValueKind[] kinds = new ValueKind[6];
                float[] f = {
                    random.nextInt(3),
                    (float) (35 + 20 * random.nextDouble()),
                    (float) (13 + 8 * random.nextDouble()),
                    180 + random.nextInt(50),
                    2700 + random.nextInt(3600),
                    random.nextInt(10) == 0 ? Float.NaN : random.nextInt(2)
                };
                for (int k = 0; k < 6; k++) {
                    kinds[k] = Float.isNaN(f[k]) ? ValueKind.MISSING : ValueKind.PRESENT;
                }
                float a = (float) random.nextDouble();
                float b = (float) ((1 - a) * random.nextDouble());
                float[] p = {a, b, 1 - a - b};
                assertThat(log.record(new LoggedPrediction(id, new TenantId(tenant), "species", 1, at, kinds, f, p)))
                        .isTrue();
                appendBefore(before, id, tenant, at, f, p);
            }
            assertThat(log.flush(Duration.ofMinutes(2))).isTrue();
            copyBefore(before);
        }
        String results;
        // VACUUM is the owner's (the application's role owns no table)
        try (Connection c = TestDatabase.ownerConnection(jdbcUrl);
                Statement s = c.createStatement()) {
            s.execute("vacuum analyze prediction_log");
            s.execute("vacuum analyze prediction_log_json_v30");
            long after = scalar(s, "select count(*) from prediction_log");
            long old = scalar(s, "select count(*) from prediction_log_json_v30");
            assertThat(after).isEqualTo(RECORDS);
            assertThat(old).isEqualTo(RECORDS);
            String leaves = "(select inhrelid from pg_inherits where inhparent in "
                    + "(select inhrelid from pg_inherits where inhparent = 'prediction_log'::regclass))";
            long afterTable = scalar(s, "select sum(pg_table_size(inhrelid)) from " + leaves + " l");
            long afterIndexes = scalar(s, "select sum(pg_indexes_size(inhrelid)) from " + leaves + " l");
            long oldTable = scalar(s, "select pg_table_size('prediction_log_json_v30')");
            long oldIndexes = scalar(s, "select pg_indexes_size('prediction_log_json_v30')");
            long payload = scalar(s, "select sum(octet_length(record)) from prediction_log");
            double afterPer = (double) (afterTable + afterIndexes) / RECORDS;
            double oldPer = (double) (oldTable + oldIndexes) / RECORDS;
            results = String.format(
                    Locale.ROOT,
                    """
                    Measured %s on the shared 2-core machine (under load from other sessions; sizes do not depend on
                    load). 1,000,000 predictions of the 6-feature demo model (penguins, multiclass: 6 features, 3
                    class probabilities, 10%% of Sex missing), written through `PredictionLog.record` (the writer
                    serving uses, not HTTP), then `VACUUM ANALYZE`; sizes from `pg_table_size` (heap, TOAST, free
                    space and visibility maps) and `pg_indexes_size` of every partition.

                    | layout | table | indexes | total | bytes per record |
                    | --- | ---: | ---: | ---: | ---: |
                    | before: V30 (JSON features and output, btree on id and on tenant, model, time) | %.1f MB | %.1f MB | %.1f MB | %.0f |
                    | after: V51 (fixed columns + packed bytea, BRIN on time and id, daily partitions) | %.1f MB | %.3f MB | %.1f MB | **%.0f** |

                    Goal: at most 150 bytes per record, index included: **%s** (%.2fx smaller than before). The
                    packed payload is %.0f bytes of it on average (`PredictionRecordCodec`); the rest is PostgreSQL's
                    tuple header and line pointer (28 bytes), the fixed columns and the tenant and model names.
                    """,
                    java.time.LocalDate.now(),
                    oldTable / 1e6,
                    oldIndexes / 1e6,
                    (oldTable + oldIndexes) / 1e6,
                    oldPer,
                    afterTable / 1e6,
                    afterIndexes / 1e6,
                    (afterTable + afterIndexes) / 1e6,
                    afterPer,
                    afterPer <= 150 ? "met" : "NOT met",
                    oldPer / afterPer,
                    (double) payload / RECORDS);
        }
        System.out.println(results);
        BenchmarkDocs.replaceSection("prediction-log-size", results);
    }

    /** A row as main's V30 writer wrote it: features by name, output with score, label and probabilities. */
    private static void appendBefore(StringBuilder out, UUID id, String tenant, Instant at, float[] f, float[] p) {
        out.append(id)
                .append('\t')
                .append(tenant)
                .append("\tspecies\t1\t")
                .append(at)
                .append("\t{");
        for (int k = 0; k < f.length; k++) {
            out.append(k == 0 ? "" : ", ").append('"').append(NAMES[k]).append("\": ");
            out.append(Float.isNaN(f[k]) ? "null" : Float.toString(f[k]));
        }
        int best = p[0] >= p[1] && p[0] >= p[2] ? 0 : p[1] >= p[2] ? 1 : 2;
        out.append("}\t{\"label\": \"")
                .append(SPECIES[best])
                .append("\", \"score\": ")
                .append((double) p[best]);
        out.append(", \"probabilities\": {");
        for (int c = 0; c < 3; c++) {
            out.append(c == 0 ? "" : ", ")
                    .append('"')
                    .append(SPECIES[c])
                    .append("\": ")
                    .append((double) p[c]);
        }
        out.append("}}\n");
    }

    private void copyBefore(StringBuilder rows) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(
                            "COPY prediction_log_json_v30 (id, tenant_id, model, version, predicted_at, features, output) "
                                    + "FROM STDIN",
                            new StringReader(rows.toString()));
        }
    }

    private static long scalar(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
