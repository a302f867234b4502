package io.tenantml.dataset.internal;

import io.tenantml.dataset.DatasetFormat;
import io.tenantml.dataset.DatasetRow;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.dataset.IngestPolicy;
import io.tenantml.dataset.ValidationReport;
import io.tenantml.shared.ProblemException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * What ingestion makes of uploads, for tests outside this package (the training-serving parity test).
 * <p>
 * {@link #one} takes a single record through the pieces of a real upload, in memory and on the calling
 * thread: the upload's {@link RecordSource} (Commons CSV or Jackson's streaming parser), the pass's typing
 * and checks ({@code Ingestion.Pass.typeRecord}, which uses {@link io.tenantml.dataset.CellParser}), and the
 * stored rows format ({@link RowCodec}, written and read back). It skips only the spool, the threads and the
 * files of {@link Ingestion#run}, which cost ~6 ms a run: too slow for tens of thousands of generated values.
 * {@link #upload} is the whole {@link Ingestion#run}, to check that {@link #one} stores what it stores.
 */
public final class IngestionProbe {

    /** A reason ingestion gave for quarantining a record. */
    public record Refusal(String column, String check, String message) {}

    /** The stored row (null when quarantined) and the reasons it was quarantined. */
    public record Ingested(DatasetRow row, List<Refusal> refusals) {}

    /** An upload's stored rows and the lines it quarantined. */
    public record Uploaded(List<DatasetRow> rows, long quarantined) {}

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);

    private static final Map<DatasetSchema, Ingestion.Pass> PASSES = new ConcurrentHashMap<>();

    private IngestionProbe() {}

    /** Ingests a document of exactly one record against a declared schema. */
    public static Ingested one(DatasetSchema schema, DatasetFormat format, String document) {
        TestConfig config = TestConfig.defaults();
        // A pass per schema, as an upload has: its state (the anomaly log, profilers) does not change typing.
        Ingestion.Pass pass = PASSES.computeIfAbsent(
                schema, s -> new Ingestion(config, CLOCK).new Pass(s, IngestPolicy.defaults(), null, null, null, 0));
        byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
        try (RecordSource source = RecordSource.open(
                format, new ByteArrayInputStream(bytes), config.maxColumns(), config.maxCellChars())) {
            if (!source.next()) {
                throw new IllegalArgumentException("the document has no record: " + document);
            }
            int[] map = new int[schema.columns().size()];
            for (int c = 0; c < map.length; c++) {
                Integer at = source.index.get(schema.columns().get(c).name());
                map[c] = at == null ? -1 : at;
            }
            List<String[]> errors = new ArrayList<>();
            Object[] typed = pass.typeRecord(source.values, map, source.line, errors);
            long line = source.line;
            if (source.next()) {
                throw new IllegalArgumentException("the document has more than one record: " + document);
            }
            if (!errors.isEmpty()) {
                return new Ingested(
                        null,
                        errors.stream().map(e -> new Refusal(e[0], e[1], e[2])).toList());
            }
            return new Ingested(storedAndReadBack(schema, line, typed), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DatasetRow storedAndReadBack(DatasetSchema schema, long line, Object[] typed) throws IOException {
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        try (RowCodec.Writer writer = new RowCodec.Writer(
                stored, schema.columns().stream().map(c -> c.type()).toList())) {
            writer.write(line, typed);
            writer.finish();
        }
        try (RowCodec.Reader reader = new RowCodec.Reader(new ByteArrayInputStream(stored.toByteArray()))) {
            return reader.next();
        }
    }

    /** A whole upload through {@link Ingestion#run} against a declared schema, with no refusal policy. */
    public static Uploaded upload(DatasetSchema schema, DatasetFormat format, String document) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("ingestion-probe");
            Path spool = Files.writeString(dir.resolve("spool"), document, StandardCharsets.UTF_8);
            IngestPolicy acceptAll = new IngestPolicy(1.0, IngestPolicy.OnInvalidRows.QUARANTINE);
            Ingestion.Outcome outcome;
            try {
                outcome = new Ingestion(TestConfig.defaults(), CLOCK).run(spool, format, schema, acceptAll, null, dir);
            } catch (ProblemException refused) {
                // every row invalid makes no version whatever the policy: for the rows, all were quarantined
                if (refused.problem().extensions().get("validation") instanceof ValidationReport all) {
                    return new Uploaded(List.of(), all.invalidRows());
                }
                throw refused;
            }
            List<DatasetRow> rows = new ArrayList<>();
            try (RowCodec.Reader reader = new RowCodec.Reader(Files.newInputStream(outcome.rowsFile()))) {
                for (DatasetRow row = reader.next(); row != null; row = reader.next()) {
                    rows.add(row);
                }
            }
            return new Uploaded(rows, outcome.quarantinedRows());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                delete(dir);
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
