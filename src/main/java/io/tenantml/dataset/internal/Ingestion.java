package io.tenantml.dataset.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantml.dataset.Anomaly;
import io.tenantml.dataset.Anomaly.Severity;
import io.tenantml.dataset.CellCheck;
import io.tenantml.dataset.CellParser;
import io.tenantml.dataset.ColumnProfile;
import io.tenantml.dataset.ColumnSchema;
import io.tenantml.dataset.ColumnType;
import io.tenantml.dataset.DatasetConfig;
import io.tenantml.dataset.DatasetFormat;
import io.tenantml.dataset.DatasetProfile;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.dataset.IngestPolicy;
import io.tenantml.dataset.ValidationReport;
import io.tenantml.dataset.ValidationStatus;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.Texts;
import io.tenantml.statistics.TableSketch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Validates, profiles and encodes one spooled upload into a rows file and a quarantine file. Pure file in,
 * files out: it touches neither the database nor the blob store, so a refused upload leaves nothing.
 * <p>
 * One pass over the upload: the calling thread (in the service, the upload's parse thread: see
 * {@link SpeculativeIngestion}) parses, types and checks each record; two more threads ({@link RowSink}s) take the accepted rows, one to encode, compress and hash them (deflate alone is about
 * a third of the work), the other to profile them. Without a schema, the type
 * of each column is first guessed from a bounded sample of the first records (kept in memory and then
 * streamed like the rest), while the pass counts what inference over every record would count; when that
 * full count disagrees with the guess (rare: a column whose values change kind after the sample), the
 * pass is discarded and the schema is inferred from every record in a pass of its own, as if no guess had
 * been made. Either way the inferred schema is the one inference over all records gives.
 */
public final class Ingestion {

    /** What the previous version looked like, for schema-change and shift warnings; may be null. */
    public record Previous(int version, DatasetSchema schema, DatasetProfile profile) {}

    /**
     * The result of an accepted upload: files in the work directory and what goes into the database. The
     * profile is computed from {@code sketches}, the mergeable column sketches stored beside it.
     */
    public record Outcome(
            DatasetSchema schema,
            boolean inferred,
            Path rowsFile,
            String sha256,
            long rows,
            Path quarantineFile,
            String quarantineSha256,
            long quarantinedRows,
            ValidationReport report,
            DatasetProfile profile,
            TableSketch sketches) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DatasetConfig config;
    private final Clock clock;

    public Ingestion(DatasetConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Records kept for the guess: at most this many, and at most {@link #SAMPLE_CELLS} cells and {@link #SAMPLE_CHARS} characters. */
    static final int SAMPLE_ROWS = 10_000;

    static final long SAMPLE_CELLS = 200_000;
    static final long SAMPLE_CHARS = 4_000_000;

    /** Opens the upload's bytes from the start; each pass opens them again. */
    @FunctionalInterface
    public interface Body {
        InputStream open() throws IOException;
    }

    public Outcome run(
            Path spool,
            DatasetFormat format,
            DatasetSchema declared,
            IngestPolicy policy,
            Previous previous,
            Path workDir)
            throws IOException {
        return run(() -> Files.newInputStream(spool), format, declared, policy, previous, workDir);
    }

    public Outcome run(
            Body spool,
            DatasetFormat format,
            DatasetSchema declared,
            IngestPolicy policy,
            Previous previous,
            Path workDir)
            throws IOException {
        if (declared != null) {
            try (RecordSource source = open(spool, format)) {
                return new Pass(declared, policy, previous, workDir, null, 0).run(source, false);
            }
        }
        Outcome guessed = runWithGuessedSchema(spool, format, policy, previous, workDir);
        if (guessed != null) {
            return guessed;
        }
        DatasetSchema schema = infer(spool, format);
        try (RecordSource source = open(spool, format)) {
            return new Pass(schema, policy, previous, workDir, null, 0).run(source, true);
        }
    }

    /**
     * A first version in one pass: the schema inferred from a sample of the first records, confirmed by the
     * counts over every record; null when they disagree (nothing is left behind then).
     */
    private Outcome runWithGuessedSchema(
            Body spool, DatasetFormat format, IngestPolicy policy, Previous previous, Path workDir) throws IOException {
        try (RecordSource source = open(spool, format)) {
            List<ColumnInference> inference = new ArrayList<>();
            List<RecordSource.Buffered> sample = new ArrayList<>();
            long cells = 0;
            long chars = 0;
            boolean complete = false;
            while (sample.size() < SAMPLE_ROWS && cells < SAMPLE_CELLS && chars < SAMPLE_CHARS) {
                if (!source.next()) {
                    complete = true;
                    break;
                }
                Object[] values = source.values;
                addTo(inference, source, values);
                sample.add(new RecordSource.Buffered(source.line, values));
                cells += values.length;
                for (Object v : values) {
                    if (v instanceof String str) {
                        chars += str.length();
                    }
                }
            }
            if (source.columns.isEmpty() && !complete) {
                // Only empty records so far: nothing to guess from.
                return null;
            }
            DatasetSchema guess = schemaOf(source.columns, inference);
            source.replay(sample);
            return new Pass(guess, policy, previous, workDir, complete ? null : inference, sample.size())
                    .run(source, true);
        }
    }

    DatasetSchema infer(Path spool, DatasetFormat format) throws IOException {
        return infer(() -> Files.newInputStream(spool), format);
    }

    private DatasetSchema infer(Body spool, DatasetFormat format) throws IOException {
        List<ColumnInference> inference = new ArrayList<>();
        long rows = 0;
        try (RecordSource source = open(spool, format)) {
            while (source.next()) {
                rows++;
                checkRows(rows);
                addTo(inference, source, source.values);
            }
            return schemaOf(source.columns, inference);
        }
    }

    private static void addTo(List<ColumnInference> inference, RecordSource source, Object[] values) {
        while (inference.size() < source.columns.size()) {
            inference.add(new ColumnInference());
        }
        for (int i = 0; i < inference.size(); i++) {
            inference.get(i).add(i < values.length ? values[i] : null);
        }
    }

    private static DatasetSchema schemaOf(List<String> names, List<ColumnInference> inference) {
        if (names.isEmpty()) {
            throw ProblemException.unprocessable(
                    "empty-upload", "The upload has no columns, so no schema can be inferred");
        }
        List<ColumnSchema> columns = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            ColumnType type = i < inference.size() ? inference.get(i).decide() : ColumnType.TEXT;
            columns.add(new ColumnSchema(names.get(i), type, true, null, null, null));
        }
        return new DatasetSchema(columns, null, null);
    }

    private RecordSource open(Body spool, DatasetFormat format) throws IOException {
        InputStream in = spool.open();
        try {
            return RecordSource.open(format, in, config.maxColumns(), config.maxCellChars());
        } catch (RuntimeException | IOException e) {
            in.close();
            throw e;
        }
    }

    private void checkRows(long rows) {
        if (rows > config.maxRows()) {
            throw RecordSource.limit(
                    "maxRows", config.maxRows(), 413, "The upload has more than " + config.maxRows() + " rows");
        }
    }

    /** The main pass over one upload; holds the per-upload state. */
    final class Pass {
        final DatasetSchema schema;
        final IngestPolicy policy;
        final Previous previous;
        final Path workDir;
        final List<ColumnSchema> cols;
        final ColumnType[] types;
        final ColumnProfiler[] profilers;
        final AnomalyLog log = new AnomalyLog(config.maxExamples());
        final int pk;
        final LongHashSet keys;
        final Instant now;
        /** For a guessed schema: the inference counts of the sampled records, continued over the rest; else null. */
        final List<ColumnInference> verify;
        /** Records already counted in {@link #verify} (the sample, streamed first). */
        final long sampled;

        long rows;
        long invalid;

        Pass(
                DatasetSchema schema,
                IngestPolicy policy,
                Previous previous,
                Path workDir,
                List<ColumnInference> verify,
                long sampled) {
            this.verify = verify;
            this.sampled = sampled;
            this.schema = schema;
            this.policy = policy;
            this.previous = previous;
            this.workDir = workDir;
            this.cols = schema.columns();
            this.types = cols.stream().map(ColumnSchema::type).toArray(ColumnType[]::new);
            this.profilers = cols.stream()
                    .map(c -> new ColumnProfiler(c.name(), c.type()))
                    .toArray(ColumnProfiler[]::new);
            this.pk = schema.primaryKey() == null ? -1 : schema.indexOf(schema.primaryKey());
            this.keys = pk >= 0 ? new LongHashSet() : null;
            this.now = clock.instant();
        }

        /** The outcome; null when the guessed schema is not the one inference over every record gives. */
        Outcome run(RecordSource source, boolean inferred) throws IOException {
            Path rowsFile = Files.createTempFile(workDir, "rows-", ".bin.gz");
            Path quarantineFile = Files.createTempFile(workDir, "quarantine-", ".ndjson.gz");
            boolean ok = false;
            try {
                MessageDigest rowsDigest = sha256();
                MessageDigest quarantineDigest = sha256();
                long[] unexpected;
                try (OutputStream rowsOut = new DigestOutputStream(Files.newOutputStream(rowsFile), rowsDigest);
                        RowCodec.Writer writer = new RowCodec.Writer(rowsOut, List.of(types));
                        OutputStream qOut =
                                new DigestOutputStream(Files.newOutputStream(quarantineFile), quarantineDigest);
                        GZIPOutputStream qGzip = fastGzip(qOut);
                        JsonGenerator quarantine = JSON.getFactory().createGenerator(qGzip, JsonEncoding.UTF8)) {
                    quarantine.setRootValueSeparator(null);
                    // The writer and the profilers belong to their sinks' threads until finish() has returned.
                    try (RowSink writing = new RowSink(writer::write);
                            RowSink profiling = new RowSink((line, typed) -> {
                                for (int c = 0; c < profilers.length; c++) {
                                    profilers[c].add(typed[c], line);
                                }
                            })) {
                        unexpected = stream(source, writing, profiling, quarantine);
                        writing.finish();
                        profiling.finish();
                    }
                    if (verify != null && !guessConfirmed(source)) {
                        return null;
                    }
                    writer.finish();
                    quarantine.flush();
                    qGzip.finish();
                    reportColumns(source, unexpected);
                }
                if (rows == 0) {
                    // Versions are snapshots: an empty one would replace the data, then the dataset's retention
                    // would purge the rows before it, and its columns, if new, would all be typed text.
                    throw ProblemException.unprocessable(
                            "empty-upload",
                            "The upload has no rows (a CSV header alone, or an empty array): a version needs at"
                                    + " least one row");
                }
                finishChecks();
                ValidationReport report = report();
                enforcePolicy(report);
                List<ColumnProfile> profiles = new ArrayList<>();
                TableSketch sketches = new TableSketch();
                for (ColumnProfiler p : profilers) {
                    profiles.add(p.profile());
                    sketches.add(p.name, p.sketch);
                }
                DatasetProfile profile = new DatasetProfile(rows - invalid, profiles);
                if (previous != null) {
                    report = withComparison(report, profile);
                }
                ok = true;
                boolean anyQuarantined = invalid > 0;
                if (!anyQuarantined) {
                    Files.deleteIfExists(quarantineFile);
                }
                return new Outcome(
                        schema,
                        inferred,
                        rowsFile,
                        HexFormat.of().formatHex(rowsDigest.digest()),
                        rows - invalid,
                        anyQuarantined ? quarantineFile : null,
                        anyQuarantined ? HexFormat.of().formatHex(quarantineDigest.digest()) : null,
                        invalid,
                        report,
                        profile,
                        sketches);
            } finally {
                if (!ok) {
                    Files.deleteIfExists(rowsFile);
                    Files.deleteIfExists(quarantineFile);
                }
            }
        }

        /** Whether inference over every record gives the guessed schema (no new columns, the same types). */
        private boolean guessConfirmed(RecordSource source) {
            if (source.columns.size() != cols.size()) {
                return false;
            }
            for (int c = 0; c < cols.size(); c++) {
                if (verify.get(c).decideIfKnown() != types[c]) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Continues the inference counts with a record beyond the sample. The typing just done answers the
         * common case: a value that parsed in a guessed numeric column is a number. Distinct strings are only
         * kept for guessed categorical and text columns (see {@link ColumnInference}).
         */
        private void countForInference(Object[] raw, int[] map, Object[] typed) {
            for (int c = 0; c < cols.size(); c++) {
                int src = map[c];
                Object value = src < 0 || src >= raw.length ? null : raw[src];
                ColumnInference inference = verify.get(c);
                switch (types[c]) {
                    case NUMERIC -> {
                        if (typed[c] != null) {
                            inference.addNumber(value);
                        } else {
                            inference.addUntracked(value);
                        }
                    }
                    case CATEGORICAL, TEXT -> inference.add(value);
                    default -> inference.addUntracked(value);
                }
            }
        }

        /** Returns, per source column, how many rows had a value in it while it is not in the schema. */
        private long[] stream(RecordSource source, RowSink writing, RowSink profiling, JsonGenerator quarantine)
                throws IOException {
            int[] map = new int[cols.size()];
            long[] unexpected = new long[0];
            boolean[] inSchema = new boolean[0];
            int mappedFor = -1;
            List<String[]> errors = new ArrayList<>();
            while (source.next()) {
                rows++;
                checkRows(rows);
                if (mappedFor != source.columns.size()) {
                    for (int c = 0; c < cols.size(); c++) {
                        Integer i = source.index.get(cols.get(c).name());
                        map[c] = i == null ? -1 : i;
                    }
                    unexpected = java.util.Arrays.copyOf(unexpected, source.columns.size());
                    inSchema = new boolean[source.columns.size()];
                    for (int i = 0; i < inSchema.length; i++) {
                        inSchema[i] = schema.indexOf(source.columns.get(i)) >= 0;
                    }
                    mappedFor = source.columns.size();
                }
                Object[] raw = source.values;
                long line = source.line;
                for (int i = 0; i < raw.length; i++) {
                    if (!inSchema[i] && !CellParser.isMissing(raw[i])) {
                        if (unexpected[i]++ < config.maxExamples()) {
                            String column = source.columns.get(i);
                            log.hit(
                                    column,
                                    "unexpected-column",
                                    Severity.WARNING,
                                    n -> "Column '" + column + "' is not in the schema; its values are not stored"
                                            + likelyMeant(schema, column),
                                    line,
                                    raw[i]);
                        }
                    }
                }
                errors.clear();
                Object[] typed = typeRecord(raw, map, line, errors);
                if (keys != null
                        && errors.isEmpty()
                        && typed[pk] != null
                        && !keys.add(LongHashSet.hash(String.valueOf(typed[pk])))) {
                    String name = cols.get(pk).name();
                    log.hit(
                            name,
                            "duplicate-key",
                            Severity.ERROR,
                            n -> Texts.counted(n, "row repeats", "rows repeat") + " a primary key value of '" + name
                                    + "'",
                            line,
                            typed[pk]);
                    errors.add(new String[] {name, "duplicate-key", "primary key value already seen"});
                }
                if (verify != null && rows > sampled) {
                    countForInference(raw, map, typed);
                }
                if (errors.isEmpty()) {
                    writing.add(line, typed);
                    profiling.add(line, typed);
                } else {
                    invalid++;
                    writeQuarantine(quarantine, source, raw, line, errors);
                }
            }
            return unexpected;
        }

        /**
         * The typed values of one record, aligned with the schema ({@code map}: schema column to source
         * column, -1 when the source has none); the reasons to quarantine it are added to {@code errors}.
         */
        Object[] typeRecord(Object[] raw, int[] map, long line, List<String[]> errors) {
            Object[] typed = new Object[cols.size()];
            for (int c = 0; c < cols.size(); c++) {
                int src = map[c];
                Object value = src < 0 || src >= raw.length ? null : raw[src];
                typed[c] = check(c, value, line, errors);
            }
            return typed;
        }

        /**
         * Types and checks one cell with {@link CellParser#read}, the reading online scoring uses too; logs
         * what it finds and adds a reason to {@code errors} when the row must be quarantined.
         */
        private Object check(int c, Object value, long line, List<String[]> errors) {
            ColumnSchema col = cols.get(c);
            Object typed = CellParser.read(col, value);
            if (typed instanceof CellCheck failed) {
                switch (failed) {
                    case NOT_NULL ->
                        log.hit(
                                col.name(),
                                "not-null",
                                Severity.ERROR,
                                n -> Texts.counted(n, "row has", "rows have") + " no value in non-nullable column '"
                                        + col.name() + "'",
                                line,
                                value);
                    case TYPE ->
                        log.hit(
                                col.name(),
                                "type",
                                Severity.ERROR,
                                n -> Texts.counted(n, "value does", "values do") + " not parse as "
                                        + types[c].wireName(),
                                line,
                                value);
                    case RANGE ->
                        log.hit(
                                col.name(),
                                "range",
                                Severity.ERROR,
                                n -> Texts.counted(n, "value lies", "values lie") + " outside "
                                        + CellParser.bounds(col),
                                line,
                                value);
                    case ALLOWED_VALUES ->
                        log.hit(
                                col.name(),
                                "allowed-values",
                                Severity.ERROR,
                                n -> Texts.counted(n, "value is", "values are") + " not among the allowed values "
                                        + col.allowedValues(),
                                line,
                                value);
                }
                errors.add(new String[] {col.name(), failed.wireName(), CellParser.reason(col, failed, value)});
                return null;
            }
            if (typed == null) {
                return null;
            }
            if ((types[c] == ColumnType.TEXT || types[c] == ColumnType.CATEGORICAL) && !(value instanceof String)) {
                log.hit(
                        col.name(),
                        "type",
                        Severity.WARNING,
                        n -> Texts.counted(n, "value is", "values are") + " JSON " + jsonKind(value) + " in a "
                                + types[c].wireName() + " column; stored as text",
                        line,
                        value);
            }
            if (typed instanceof Instant t && t.isAfter(now)) {
                log.hit(
                        col.name(),
                        "future-timestamp",
                        Severity.WARNING,
                        n -> Texts.counted(n, "timestamp lies", "timestamps lie") + " after the upload time " + now,
                        line,
                        value);
            }
            return typed;
        }

        private void writeQuarantine(
                JsonGenerator out, RecordSource source, Object[] raw, long line, List<String[]> errors)
                throws IOException {
            out.writeStartObject();
            out.writeNumberField("line", line);
            out.writeArrayFieldStart("reasons");
            for (String[] e : errors) {
                out.writeStartObject();
                out.writeStringField("column", e[0]);
                out.writeStringField("check", e[1]);
                out.writeStringField("message", e[2]);
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeObjectFieldStart("values");
            for (int i = 0; i < raw.length; i++) {
                out.writeFieldName(source.columns.get(i));
                Object v = raw[i];
                if (v == null) {
                    out.writeNull();
                } else if (v instanceof Long l) {
                    out.writeNumber(l);
                } else if (v instanceof Double d) {
                    out.writeNumber(d);
                } else if (v instanceof Boolean b) {
                    out.writeBoolean(b);
                } else {
                    out.writeString(v.toString());
                }
            }
            out.writeEndObject();
            out.writeEndObject();
            out.writeRaw('\n');
        }

        private void reportColumns(RecordSource source, long[] unexpected) {
            for (ColumnSchema col : cols) {
                if (!source.index.containsKey(col.name())) {
                    log.add(new Anomaly(
                            col.name(),
                            "missing-column",
                            col.isNullable() ? Severity.WARNING : Severity.ERROR,
                            rows,
                            "Column '" + col.name() + "' of the schema is absent from the upload",
                            List.of()));
                }
            }
            for (int i = 0; i < unexpected.length; i++) {
                if (unexpected[i] > 0) {
                    // The log counted at most maxExamples hits: put the true count in.
                    String name = source.columns.get(i);
                    List<Anomaly> current = log.anomalies().stream()
                            .filter(a -> name.equals(a.column()) && a.check().equals("unexpected-column"))
                            .toList();
                    if (!current.isEmpty()) {
                        Anomaly a = current.get(0);
                        log.add(new Anomaly(name, a.check(), a.severity(), unexpected[i], a.message(), a.examples()));
                    }
                }
            }
        }

        /** Data-quality checks on the finished profile: completeness, constants, near-unique, outliers. */
        private void finishChecks() {
            long stored = rows - invalid;
            for (ColumnProfiler p : profilers) {
                long missing = p.missing();
                long count = p.count();
                if (missing > 0 && stored > 0) {
                    double fraction = (double) missing / stored;
                    log.add(new Anomaly(
                            p.name,
                            "completeness",
                            fraction > config.completenessWarningFraction() ? Severity.WARNING : Severity.INFO,
                            missing,
                            String.format(
                                    Locale.ROOT, "%d of %d values missing (%.1f%%)", missing, stored, 100 * fraction),
                            List.of()));
                }
                long distinct = count == 0 ? 0 : p.distinctEstimate();
                if (p.isConstant()) {
                    log.add(new Anomaly(
                            p.name,
                            "constant",
                            Severity.WARNING,
                            count,
                            "Column '" + p.name + "' has a single value in all " + count + " rows",
                            List.of()));
                }
                if (p.type == ColumnType.CATEGORICAL && count >= 20 && distinct > 0.9 * count) {
                    log.add(new Anomaly(
                            p.name,
                            "near-unique",
                            Severity.WARNING,
                            distinct,
                            String.format(
                                    Locale.ROOT,
                                    "Categorical column has about %d distinct values in %d rows: an identifier or free text?",
                                    distinct,
                                    count),
                            List.of()));
                }
                if (p.hasQuantiles() && count >= 20) {
                    outliers(p);
                }
            }
        }

        private void outliers(ColumnProfiler p) {
            double q1 = p.quantile(0.25);
            double q3 = p.quantile(0.75);
            double iqr = q3 - q1;
            if (!(iqr > 0)) {
                return;
            }
            double k = config.outlierIqrFactor();
            double lowFence = q1 - k * iqr;
            double highFence = q3 + k * iqr;
            List<double[]> low = p.low.beyond(lowFence);
            List<double[]> high = p.high.beyond(highFence);
            long count = low.size() + high.size();
            if (count == 0) {
                return;
            }
            // All kept extremes beyond a fence: the true count can be larger, estimate it from the sketch.
            if (low.size() == p.low.size() || high.size() == p.high.size()) {
                long estimate = Math.round(p.count() * (p.shareBelow(lowFence) + 1 - p.shareAtOrBelow(highFence)));
                count = Math.max(count, estimate);
            }
            List<Anomaly.Example> examples = new ArrayList<>();
            List<double[]> all = new ArrayList<>(high);
            all.addAll(low);
            for (double[] e : all) {
                if (examples.size() >= config.maxExamples()) {
                    break;
                }
                examples.add(new Anomaly.Example((long) e[1], CellParser.display(e[0])));
            }
            log.add(new Anomaly(
                    p.name,
                    "outlier",
                    Severity.WARNING,
                    count,
                    String.format(
                            Locale.ROOT,
                            "%d values lie outside the Tukey fences [%s, %s] (Q1 - %.1f IQR, Q3 + %.1f IQR)",
                            count,
                            fmt(lowFence),
                            fmt(highFence),
                            k,
                            k),
                    examples));
        }

        private ValidationReport report() {
            List<Anomaly> anomalies = log.anomalies();
            boolean warnings = anomalies.stream().anyMatch(a -> a.severity() != Severity.INFO);
            return new ValidationReport(
                    warnings ? ValidationStatus.WARNINGS : ValidationStatus.PASSED, invalid, anomalies);
        }

        private void enforcePolicy(ValidationReport report) {
            double fraction = (double) invalid / rows; // rows > 0: an upload without rows was refused before
            boolean reject = policy.onInvalidRows() == IngestPolicy.OnInvalidRows.REJECT;
            boolean overLimit = reject ? invalid > 0 : fraction > policy.maxInvalidRowFraction();
            // every row invalid is refused even where the policy allows it: the version would hold nothing
            if (!overLimit && invalid < rows) {
                return;
            }
            String why = reject
                    ? "the policy allows none (onInvalidRows=reject)"
                    : overLimit
                            ? String.format(
                                    Locale.ROOT,
                                    "the policy allows at most %.2f%% (maxInvalidRowFraction)",
                                    100 * policy.maxInvalidRowFraction())
                            : "a version needs at least one valid row";
            ValidationReport failed = new ValidationReport(ValidationStatus.FAILED, invalid, report.anomalies());
            throw new ProblemException(Problem.of(
                            422,
                            "validation-failed",
                            "Validation failed",
                            String.format(
                                    Locale.ROOT,
                                    "%d of %d rows are invalid (%.2f%%); %s",
                                    invalid,
                                    rows,
                                    100.0 * fraction,
                                    why))
                    .with("validation", failed));
        }

        private ValidationReport withComparison(ValidationReport report, DatasetProfile profile) {
            List<Anomaly> comparison = Comparison.compare(previous, schema, profile, profilers, config);
            if (comparison.isEmpty()) {
                return report;
            }
            List<Anomaly> all = new ArrayList<>(report.anomalies());
            all.addAll(comparison);
            return new ValidationReport(ValidationStatus.WARNINGS, report.invalidRows(), all);
        }
    }

    /**
     * What a validation report says about the upload itself: its findings without those of the comparison with
     * the version before it. Two uploads that give the same own findings were validated alike, whatever versions
     * they were compared with.
     */
    public static List<Anomaly> ownFindings(ValidationReport report) {
        return report.anomalies().stream()
                .filter(a -> !Comparison.CHECKS.contains(a.check()))
                .toList();
    }

    private static String jsonKind(Object value) {
        return value instanceof Number ? "numbers" : value instanceof Boolean ? "booleans" : "values";
    }

    static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15
                ? Long.toString((long) d)
                : String.format(Locale.ROOT, "%.4g", d);
    }

    static GZIPOutputStream fastGzip(OutputStream out) throws IOException {
        return new GZIPOutputStream(out, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The schema column an unexpected one most likely means: the same name but for spaces around it or letter case
     * (" Price" for "price", a header exported by another tool). Its values are still not stored: guessing which
     * column a value belongs to is the client's call, but the warning says where to look.
     */
    static String likelyMeant(DatasetSchema schema, String unexpected) {
        String wanted = unexpected.strip();
        for (ColumnSchema column : schema.columns()) {
            if (column.name().strip().equalsIgnoreCase(wanted)) {
                return "; the schema has '" + column.name() + "'";
            }
        }
        return "";
    }
}
