package io.tenantml.dataset.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantml.dataset.DatasetFormat;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.Texts;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * Streams the records of an upload one at a time, with the line (CSV, NDJSON) or 1-based record index
 * (JSON array) of each. Parsing is delegated to Commons CSV and Jackson's streaming parser; this class only
 * maps their failures to 400 problems that name the line, and enforces the column and cell limits.
 */
abstract class RecordSource implements Closeable {

    /** Column names in order of first appearance; JSON sources grow it as new keys show up. */
    final List<String> columns = new ArrayList<>();

    final Map<String, Integer> index = new HashMap<>();
    /** Raw cells of the current record aligned with {@link #columns} (may be shorter: absent cells). */
    Object[] values;

    long line;
    long records;

    final int maxColumns;
    final int maxCellChars;

    RecordSource(int maxColumns, int maxCellChars) {
        this.maxColumns = maxColumns;
        this.maxCellChars = maxCellChars;
    }

    static RecordSource open(DatasetFormat format, InputStream in, int maxColumns, int maxCellChars)
            throws IOException {
        return switch (format) {
            case CSV -> new Csv(in, maxColumns, maxCellChars);
            case JSON -> new Json(in, false, maxColumns, maxCellChars);
            case NDJSON -> new Json(in, true, maxColumns, maxCellChars);
        };
    }

    /** Records read ahead (to infer a schema from them) that {@link #next()} hands out again first. */
    private ArrayDeque<Buffered> replay;
    /** The parser has reported the end (asking it again is not allowed: a JSON array would seem unclosed). */
    private boolean exhausted;

    /** One record kept aside: its line and its raw cells. */
    record Buffered(long line, Object[] values) {}

    /** Advances to the next record (a replayed one first, then the parser's); false at the end. */
    final boolean next() throws IOException {
        if (replay != null && !replay.isEmpty()) {
            Buffered b = replay.poll();
            line = b.line();
            values = b.values();
            return true;
        }
        if (exhausted) {
            return false;
        }
        exhausted = !read();
        return !exhausted;
    }

    /** Hands {@code records} out again, in order, before the parser continues. */
    void replay(List<Buffered> records) {
        replay = new ArrayDeque<>(records);
    }

    /** Reads the next record from the parser; false at the end. */
    abstract boolean read() throws IOException;

    int column(String name) {
        Integer i = index.get(name);
        if (i != null) {
            return i;
        }
        if (columns.size() >= maxColumns) {
            throw limit("maxColumns", maxColumns, 422, "The upload has more than " + maxColumns + " columns");
        }
        columns.add(name);
        index.put(name, columns.size() - 1);
        return columns.size() - 1;
    }

    static ProblemException malformed(String where, String what) {
        return new ProblemException(Problem.of(400, "malformed-upload", "Malformed upload", where + ": " + what)
                .with("location", where));
    }

    static ProblemException limit(String name, long value, int status, String detail) {
        return new ProblemException(
                Problem.of(status, "limit-exceeded", "Limit exceeded", detail + " (limit " + name + " = " + value + ")")
                        .with("limit", name)
                        .with("limitValue", value));
    }

    static final class Csv extends RecordSource {
        private final CSVParser parser;
        private final Iterator<CSVRecord> it;
        private final GuardedReader reader;
        private long lastLine;

        Csv(InputStream in, int maxColumns, int maxCellChars) throws IOException {
            super(maxColumns, maxCellChars);
            BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
            skipBom(buffered);
            reader = new GuardedReader(
                    new InputStreamReader(
                            buffered,
                            StandardCharsets.UTF_8
                                    .newDecoder()
                                    .onMalformedInput(CodingErrorAction.REPORT)
                                    .onUnmappableCharacter(CodingErrorAction.REPORT)),
                    maxCellChars);
            CSVFormat format = CSVFormat.RFC4180
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    // both checked below, naming the column: Commons CSV's own refusals speak to a programmer
                    // ("use CSVFormat.Builder.setDuplicateHeaderMode()")
                    .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL)
                    .setAllowMissingColumnNames(true)
                    .setIgnoreEmptyLines(true)
                    .get();
            try {
                parser = CSVParser.builder().setReader(reader).setFormat(format).get();
            } catch (IllegalArgumentException e) {
                throw malformed("line 1", "bad header: " + e.getMessage());
            } catch (CharacterCodingException e) {
                throw malformed("line 1", "the body is not valid UTF-8");
            } catch (UncheckedIOException | IOException e) {
                throw rethrow(e, 1);
            }
            List<String> header = parser.getHeaderNames();
            if (header.isEmpty()) {
                throw malformed("line 1", "a header row is required");
            }
            String separator = header.size() == 1 ? otherSeparator(header.get(0)) : null;
            if (separator != null) {
                // stored, it would be a one-column dataset of whole lines: refused while the client can still fix it
                throw malformed(
                        "line 1",
                        "the header is one column, '" + Texts.cut(header.get(0), 60) + "', holding " + separator
                                + ": a CSV upload is read as comma-separated values (RFC 4180), so its values must"
                                + " be separated by ',' (or send JSON or NDJSON)");
            }
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i);
                if (name == null || name.isBlank()) {
                    throw malformed("line 1", "column " + (i + 1) + " of the header has no name");
                }
                Integer first = index.get(name); // the header's columns so far, as column(name) records them
                if (first != null) {
                    throw malformed(
                            "line 1",
                            "column " + (i + 1) + " of the header repeats the name '" + name + "' of column "
                                    + (first + 1));
                }
                column(name);
            }
            lastLine = parser.getCurrentLineNumber();
            it = parser.iterator();
        }

        /** The separator other than ',' that a one-column header holds (';', a tab, '|'), or null. */
        static String otherSeparator(String header) {
            if (header.indexOf(';') >= 0) {
                return "';'";
            }
            if (header.indexOf('\t') >= 0) {
                return "a tab";
            }
            return header.indexOf('|') >= 0 ? "'|'" : null;
        }

        @Override
        boolean read() {
            CSVRecord record;
            long start = lastLine + 1;
            try {
                if (!it.hasNext()) {
                    return false;
                }
                record = it.next();
            } catch (UncheckedIOException | IllegalStateException e) {
                throw rethrow(e, start);
            }
            lastLine = parser.getCurrentLineNumber();
            line = start;
            records++;
            if (record.size() != columns.size()) {
                throw malformed(
                        "line " + start,
                        "the record has " + record.size() + " fields but the header has " + columns.size()
                                + " (ragged row)");
            }
            Object[] row = new Object[record.size()];
            for (int i = 0; i < row.length; i++) {
                String cell = record.get(i);
                if (cell.length() > maxCellChars) {
                    throw limit(
                            "maxCellChars",
                            maxCellChars,
                            422,
                            "Line " + start + ", column '" + columns.get(i) + "' has a cell of " + cell.length()
                                    + " characters");
                }
                row[i] = cell;
            }
            values = row;
            return true;
        }

        private ProblemException rethrow(Exception e, long line) {
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            if (cause instanceof ProblemException p) {
                return p;
            }
            if (cause instanceof CharacterCodingException) {
                return malformed(
                        "line " + Math.max(line, parser == null ? 1 : parser.getCurrentLineNumber() + 1),
                        "the body is not valid UTF-8");
            }
            return malformed("line " + line, String.valueOf(cause.getMessage()));
        }

        @Override
        public void close() throws IOException {
            if (parser != null) {
                parser.close();
            }
        }

        private static void skipBom(BufferedInputStream in) throws IOException {
            in.mark(3);
            if (!(in.read() == 0xEF && in.read() == 0xBB && in.read() == 0xBF)) {
                in.reset();
            }
        }
    }

    /**
     * Stops a CSV cell from growing without bound before Commons CSV hands it over: a run of characters
     * without a separator or line break longer than the cell limit is refused as it is read.
     */
    static final class GuardedReader extends FilterReader {
        private final long maxRun;
        private long run;

        GuardedReader(Reader in, int maxCellChars) {
            super(in);
            this.maxRun = maxCellChars + 2L;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                check((char) c);
            }
            return c;
        }

        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            for (int i = 0; i < n; i++) {
                check(buf[off + i]);
            }
            return n;
        }

        private void check(char c) {
            if (c == ',' || c == '\n' || c == '\r') {
                run = 0;
            } else if (++run > maxRun) {
                throw limit(
                        "maxCellChars",
                        maxRun - 2,
                        422,
                        "The upload has a cell longer than " + (maxRun - 2) + " characters");
            }
        }
    }

    static final class Json extends RecordSource {
        private static final ObjectMapper MAPPER = new ObjectMapper();
        private final JsonParser parser;
        private final boolean lines;
        private boolean started;
        private boolean inRecord;
        /** Per column, the stamp of the last record that had it: a second sighting in one record is a duplicate key. */
        private int[] seen = new int[16];

        private int recordStamp;

        Json(InputStream in, boolean lines, int maxColumns, int maxCellChars) throws IOException {
            super(maxColumns, maxCellChars);
            this.lines = lines;
            JsonFactory factory = MAPPER.getFactory().copy();
            factory.setStreamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Math.max(maxCellChars, 1000))
                    .build());
            // Duplicate keys of a record are detected by column index in advance(), which is much cheaper than
            // Jackson's strict detection (a HashSet per object of more than two fields). Nested values, which are
            // never valid cells, still get Jackson's detection while they are read (see value()).
            // Correctly rounded like the JDK's parser, and much faster on long fractions.
            factory.enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
            parser = factory.createParser(in);
            parser.setCodec(MAPPER);
        }

        @Override
        boolean read() throws IOException {
            try {
                return advance();
            } catch (StreamConstraintsException e) {
                throw limit("maxCellChars", maxCellChars, 422, where() + ": " + e.getOriginalMessage());
            } catch (JsonParseException e) {
                throw malformed(where(), e.getOriginalMessage());
            } catch (CharacterCodingException e) {
                throw malformed(where(), "the body is not valid UTF-8");
            }
        }

        private String where() {
            long lineNr = parser.currentLocation().getLineNr();
            return lines ? "line " + lineNr : "record " + (inRecord ? records : records + 1) + " (line " + lineNr + ")";
        }

        private boolean advance() throws IOException {
            JsonToken token;
            if (!lines && !started) {
                started = true;
                token = parser.nextToken();
                if (token != JsonToken.START_ARRAY) {
                    throw malformed(where(), "an application/json upload must be an array of objects");
                }
            }
            token = parser.nextToken();
            if (token == null) {
                if (!lines) {
                    throw malformed(where(), "the array is not closed");
                }
                return false;
            }
            if (!lines && token == JsonToken.END_ARRAY) {
                if (parser.nextToken() != null) {
                    throw malformed(where(), "unexpected content after the array");
                }
                return false;
            }
            if (token != JsonToken.START_OBJECT) {
                throw malformed(where(), "each record must be a JSON object, found " + token.asString());
            }
            line = lines ? parser.currentTokenLocation().getLineNr() : records + 1;
            records++;
            inRecord = true;
            Object[] row = new Object[columns.size()];
            int stamp = ++recordStamp;
            int expected = 0;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                // Jackson canonicalises field names, so a record with the usual key order is matched by
                // identity without hashing; anything else takes the map.
                int col = expected < columns.size() && columns.get(expected) == name ? expected : column(name);
                if (col >= seen.length) {
                    seen = java.util.Arrays.copyOf(seen, Math.max(columns.size(), 2 * seen.length));
                }
                if (seen[col] == stamp) {
                    throw malformed(where(), "Duplicate field '" + name + "'");
                }
                seen[col] = stamp;
                expected = col + 1;
                if (col >= row.length) {
                    row = java.util.Arrays.copyOf(row, columns.size());
                }
                row[col] = value(parser.nextToken());
            }
            values = row;
            inRecord = false;
            return true;
        }

        private Object value(JsonToken token) throws IOException {
            return switch (token) {
                case VALUE_STRING -> parser.getText();
                case VALUE_NUMBER_INT ->
                    parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                            ? (Object) parser.getBigIntegerValue()
                            : (Object) parser.getLongValue();
                case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                case START_OBJECT, START_ARRAY -> nested();
                default -> throw malformed(where(), "unexpected " + token);
            };
        }

        /** A nested object or array, read with Jackson's duplicate-key detection on (it applies from the current level down). */
        private Nested nested() throws IOException {
            parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            try {
                return new Nested(MAPPER.writeValueAsString(parser.readValueAsTree()));
            } finally {
                parser.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            }
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    /** A JSON object or array where a scalar was expected: never a valid cell, shown as its JSON text. */
    record Nested(String json) {
        @Override
        public String toString() {
            return json;
        }
    }

    static boolean isBigInteger(Object raw) {
        return raw instanceof BigInteger;
    }
}
