package io.tenantml.dataset.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantml.dataset.ColumnSchema;
import io.tenantml.dataset.ColumnType;
import io.tenantml.dataset.DatasetFormat;
import io.tenantml.dataset.DatasetRow;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.dataset.IngestPolicy;
import io.tenantml.shared.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IngestionTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);
    Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("ingestion-test");
    }

    @AfterEach
    void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    Ingestion.Outcome ingest(String resource, DatasetFormat format) throws IOException {
        Path spool = Files.createTempFile(dir, "spool", ".bin");
        Files.delete(spool);
        try (InputStream in = getClass().getResourceAsStream("/datasets/" + resource)) {
            Files.copy(in, spool);
        }
        return new Ingestion(TestConfig.defaults(), CLOCK).run(spool, format, null, IngestPolicy.defaults(), null, dir);
    }

    Ingestion.Outcome ingestText(String body, DatasetFormat format) throws IOException {
        Path spool = Files.writeString(Files.createTempFile(dir, "s", ".txt"), body, StandardCharsets.UTF_8);
        return new Ingestion(TestConfig.defaults(), CLOCK).run(spool, format, null, IngestPolicy.defaults(), null, dir);
    }

    @Test
    void shouldInferFlightTypesAndRoundTripTypedRows() throws IOException {
        Ingestion.Outcome outcome = ingest("flights-20k.json", DatasetFormat.JSON);
        assertThat(outcome.schema().columns())
                .extracting(c -> c.name() + ":" + c.type().wireName())
                .containsExactly(
                        "date:timestamp",
                        "delay:numeric",
                        "distance:numeric",
                        "origin:categorical",
                        "destination:categorical");
        assertThat(outcome.rows()).isEqualTo(20_000);
        try (RowCodec.Reader reader = new RowCodec.Reader(Files.newInputStream(outcome.rowsFile()))) {
            io.tenantml.dataset.DatasetRow first = reader.next();
            // {"date":"2001/01/01 00:47","delay":66,"distance":1750,"origin":"DTW","destination":"LAS"}
            assertThat(first.line()).isEqualTo(1);
            assertThat(first.values())
                    .containsExactly(Instant.parse("2001-01-01T00:47:00Z"), 66.0, 1750.0, "DTW", "LAS");
            long n = 1;
            while (reader.next() != null) {
                n++;
            }
            assertThat(n).isEqualTo(20_000);
        }
    }

    @Test
    void shouldGiveSameSha256ForSameRows() throws IOException {
        String sha1 = ingest("penguins.json", DatasetFormat.JSON).sha256();
        String sha2 = ingest("penguins.json", DatasetFormat.JSON).sha256();
        assertThat(sha1).isEqualTo(sha2).hasSize(64);
    }

    @Test
    void shouldRejectRaggedRowAndInvalidJsonNamingWhere() {
        assertThatThrownBy(() -> ingestText("a,b\n1,2\n3\n", DatasetFormat.CSV))
                .hasMessageContaining("line 3")
                .hasMessageContaining("ragged");
        assertThatThrownBy(() -> ingestText("{\"a\": 1}\n\n{\"a\": }\n", DatasetFormat.NDJSON))
                .hasMessageContaining("line 3");
        assertThatThrownBy(() -> ingestText("{\"a\": 1}", DatasetFormat.JSON)).hasMessageContaining("array of objects");
        assertThatThrownBy(() -> ingestText("[{\"a\": 1, \"a\": 2}]", DatasetFormat.JSON))
                .hasMessageContaining("record 1")
                .hasMessageContaining("Duplicate field");
    }

    /**
     * A spreadsheet's semicolon export, or a tab-separated file, sent as CSV reads as one column of whole lines:
     * refused, saying why, instead of stored as such. One column whose name holds none of them is a dataset.
     */
    @Test
    void shouldRefuseAOneColumnHeaderHoldingAnotherSeparatorSayingSo() throws IOException {
        assertThatThrownBy(() -> ingestText("id;price\n1;2,5\n", DatasetFormat.CSV))
                .isInstanceOf(ProblemException.class)
                .hasMessage("line 1: the header is one column, 'id;price', holding ';': a CSV upload is read as"
                        + " comma-separated values (RFC 4180), so its values must be separated by ',' (or send JSON"
                        + " or NDJSON)");
        assertThatThrownBy(() -> ingestText("id\tprice\n1\t2\n", DatasetFormat.CSV))
                .hasMessageContaining("holding a tab");
        assertThatThrownBy(() -> ingestText("id|price\n1|2\n", DatasetFormat.CSV))
                .hasMessageContaining("holding '|'");
        assertThat(ingestText("price\n2\n", DatasetFormat.CSV).rows()).isEqualTo(1);
        assertThat(ingestText("id,note\n1,a;b\n", DatasetFormat.CSV).rows())
                .as("a separator inside a value of a comma-separated file is a character")
                .isEqualTo(1);
    }

    /**
     * A header with a repeated or missing name is refused naming the column, in the uploader's terms: before, the
     * detail was Commons CSV's advice to a programmer ("use CSVFormat.Builder.setDuplicateHeaderMode()").
     */
    @Test
    void shouldRejectAHeaderThatRepeatsOrLacksANameNamingTheColumn() {
        assertThatThrownBy(() -> ingestText("id,a,b,a\n1,2,3,4\n", DatasetFormat.CSV))
                .isInstanceOf(ProblemException.class)
                .hasMessage("line 1: column 4 of the header repeats the name 'a' of column 2");
        assertThatThrownBy(() -> ingestText("id,,b\n1,2,3\n", DatasetFormat.CSV))
                .isInstanceOf(ProblemException.class)
                .hasMessage("line 1: column 2 of the header has no name");
        assertThatThrownBy(() -> ingestText("id,b, \n1,2,3\n", DatasetFormat.CSV))
                .hasMessage("line 1: column 3 of the header has no name");
    }

    @Test
    void shouldRejectUnterminatedQuoteNamingTheLine() {
        assertThatThrownBy(() -> ingestText("a,b\n1,2\n3,\"x\n4,5\n", DatasetFormat.CSV))
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> {
                    ProblemException p = (ProblemException) e;
                    assertThat(p.problem().status()).isEqualTo(400);
                    assertThat(p.problem().detail()).contains("line 3");
                });
    }

    @Test
    void shouldKeepTheStoredBytesOfKnownContent() throws IOException {
        // Pinned from the two-pass, single-threaded implementation: the one-pass, two-thread ingestion must
        // store exactly the same bytes, or a re-upload of old content would get a new sha256.
        assertThat(ingest("penguins.json", DatasetFormat.JSON).sha256())
                .isEqualTo("713544caaa83efc2de1e69ac0abb283b505e3459d3a255e4df3afbac1ee5b70b");
        assertThat(ingest("penguins.csv", DatasetFormat.CSV).sha256())
                .isEqualTo("73b013167707cdacc3a8d93f223174ac5f1c0c54a0b9ff4948ebddd29dff4ffd");
        assertThat(ingest("flights-20k.json", DatasetFormat.JSON).sha256())
                .isEqualTo("1a87737f7d9823ca9fb224bc4dc6d8153c55aa99f4bb6a7d1c6373d5846c7115");
        assertThat(ingest("movies.json", DatasetFormat.JSON).sha256())
                .isEqualTo("ecd4554449d93c8cb2465427af8009cb464b94d831ce8c747c4c7b74582e05fc");
    }

    @Test
    void shouldInferFromEveryRowWhenValuesChangeKindAfterTheSample() throws IOException {
        // Column a: numbers for the first 2 * SAMPLE_ROWS rows, then words for the last third: 2/3 numbers is
        // below the 90% that numeric needs, so inference over every row says categorical (13 distinct words
        // plus 97 distinct numbers), although the sample alone says numeric.
        int rows = 3 * Ingestion.SAMPLE_ROWS;
        StringBuilder body = new StringBuilder("a,b\n");
        for (int i = 0; i < rows; i++) {
            body.append(i < 2 * Ingestion.SAMPLE_ROWS ? String.valueOf(i % 97) : "w" + (i % 13))
                    .append(',')
                    .append(i)
                    .append('\n');
        }
        Path spool = Files.writeString(Files.createTempFile(dir, "s", ".csv"), body, StandardCharsets.UTF_8);
        Ingestion ingestion = new Ingestion(TestConfig.defaults(), CLOCK);

        Ingestion.Outcome outcome = ingestion.run(spool, DatasetFormat.CSV, null, IngestPolicy.defaults(), null, dir);

        assertThat(outcome.schema()).isEqualTo(ingestion.infer(spool, DatasetFormat.CSV));
        assertThat(outcome.schema().columns())
                .extracting(c -> c.type().wireName())
                .containsExactly("categorical", "numeric");
        assertThat(outcome.rows()).isEqualTo(rows);
        assertThat(outcome.report().anomalies()).noneMatch(a -> a.check().equals("type"));
    }

    /** A header exported with spaces or another case names no schema column; the warning says which it resembles. */
    @Test
    void shouldNameTheSchemaColumnAnUnexpectedOneResemblesButForSpacesAndCase() throws IOException {
        DatasetSchema declared = new DatasetSchema(
                java.util.List.of(
                        new ColumnSchema("price", ColumnType.NUMERIC, true, null, null, null),
                        new ColumnSchema("qty", ColumnType.NUMERIC, true, null, null, null)),
                null,
                null);
        Path spool = Files.writeString(
                Files.createTempFile(dir, "s", ".csv"), " Price ,qty,note\n1,2,x\n", StandardCharsets.UTF_8);

        Ingestion.Outcome outcome = new Ingestion(TestConfig.defaults(), CLOCK)
                .run(spool, DatasetFormat.CSV, declared, IngestPolicy.defaults(), null, dir);

        assertThat(outcome.report().anomalies())
                .filteredOn(a -> a.check().equals("unexpected-column"))
                .extracting(a -> a.message())
                .containsExactlyInAnyOrder(
                        "Column ' Price ' is not in the schema; its values are not stored; the schema has 'price'",
                        "Column 'note' is not in the schema; its values are not stored");
    }

    /** It said "1 values do not parse", and a "%d" in a column's name was replaced by the count. */
    @Test
    void shouldCountAnomaliesInWordsThatAgreeAndLeaveTheUploadsOwnTextAlone() throws IOException {
        DatasetSchema declared = new DatasetSchema(
                java.util.List.of(
                        new ColumnSchema("a%d", ColumnType.NUMERIC, true, null, null, null),
                        new ColumnSchema("b", ColumnType.NUMERIC, true, null, null, null)),
                null,
                null);
        Path spool = Files.writeString(
                Files.createTempFile(dir, "s", ".csv"),
                "a%d,b,c%d\nx,1,1\n1,y,1\n2,z,1\n3,4,1\n",
                StandardCharsets.UTF_8);
        IngestPolicy lenient = new IngestPolicy(0.9, IngestPolicy.defaults().onInvalidRows());

        Ingestion.Outcome outcome =
                new Ingestion(TestConfig.defaults(), CLOCK).run(spool, DatasetFormat.CSV, declared, lenient, null, dir);

        assertThat(outcome.report().anomalies())
                .extracting(a -> a.column() + ": " + a.message())
                .contains(
                        "a%d: 1 value does not parse as numeric",
                        "b: 2 values do not parse as numeric",
                        "c%d: Column 'c%d' is not in the schema; its values are not stored");
    }

    @Test
    void shouldInferAColumnThatFirstAppearsAfterTheSample() throws IOException {
        int rows = Ingestion.SAMPLE_ROWS + 500;
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            body.append("{\"a\": ")
                    .append(i)
                    .append(i >= Ingestion.SAMPLE_ROWS ? ", \"late\": \"x\"" : "")
                    .append("}\n");
        }
        Path spool = Files.writeString(Files.createTempFile(dir, "s", ".ndjson"), body, StandardCharsets.UTF_8);
        Ingestion ingestion = new Ingestion(TestConfig.defaults(), CLOCK);

        Ingestion.Outcome outcome =
                ingestion.run(spool, DatasetFormat.NDJSON, null, IngestPolicy.defaults(), null, dir);

        assertThat(outcome.schema().columns())
                .extracting(c -> c.name() + ":" + c.type().wireName())
                .containsExactly("a:numeric", "late:categorical");
        assertThat(outcome.report().anomalies()).noneMatch(a -> a.check().equals("unexpected-column"));
        assertThat(outcome.profile().columns().get(1).missing()).isEqualTo(Ingestion.SAMPLE_ROWS);
        try (Stream<Path> files = Files.list(dir)) {
            // The discarded guess left no rows or quarantine file behind: only the spool and this outcome's rows.
            assertThat(files.map(p -> p.getFileName().toString())
                            .filter(n -> n.startsWith("rows-") || n.startsWith("quarantine-")))
                    .hasSize(1);
        }
    }

    @Test
    void shouldRejectADuplicateKeyInsideANestedValue() {
        assertThatThrownBy(() -> ingestText("[{\"a\": 1}, {\"a\": {\"x\": 1, \"x\": 2}}]", DatasetFormat.JSON))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("record 2")
                .hasMessageContaining("Duplicate field 'x'");
        assertThatThrownBy(() -> ingestText(
                        "{\"a\": 1, \"b\": 2, \"c\": 3}\n{\"b\": 1, \"a\": 2, \"b\": 3}\n", DatasetFormat.NDJSON))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("Duplicate field 'b'");
    }

    private java.util.List<Object> storedColumn(String body, DatasetFormat format, ColumnSchema column)
            throws IOException {
        Path spool = Files.writeString(Files.createTempFile(dir, "s", ".txt"), body, StandardCharsets.UTF_8);
        Ingestion.Outcome outcome = new Ingestion(TestConfig.defaults(), CLOCK)
                .run(
                        spool,
                        format,
                        new DatasetSchema(java.util.List.of(column), null, null),
                        new IngestPolicy(1.0, IngestPolicy.OnInvalidRows.QUARANTINE),
                        null,
                        dir);
        java.util.List<Object> values = new java.util.ArrayList<>();
        try (RowCodec.Reader reader = new RowCodec.Reader(Files.newInputStream(outcome.rowsFile()))) {
            for (DatasetRow row = reader.next(); row != null; row = reader.next()) {
                values.add(row.values()[0]);
            }
        }
        return values;
    }

    @Test
    void shouldReadWholeJsonNumbersInATimestampColumnAsEpochMilliseconds() throws IOException {
        // As online scoring always did; a fraction of a millisecond, or a string of digits, is no epoch.
        ColumnSchema at = new ColumnSchema("at", ColumnType.TIMESTAMP, true, null, null, null);
        assertThat(storedColumn(
                        "[{\"at\": 1704103200000}, {\"at\": 1.7041032E12}, {\"at\": 1704103200000.5},"
                                + " {\"at\": \"1704103200000\"}, {\"at\": 253402300800000}]",
                        DatasetFormat.JSON,
                        at))
                .containsExactly(Instant.parse("2024-01-01T10:00:00Z"), Instant.parse("2024-01-01T10:00:00Z"));
    }

    @Test
    void shouldStoreAJsonNumberInACategoricalColumnAsItsCanonicalText() throws IOException {
        // The number 1.0 is stored as "1", which is what online scoring must look up for 1.0 (FeatureTransformTest).
        ColumnSchema plan = new ColumnSchema("plan", ColumnType.CATEGORICAL, true, null, null, null);
        assertThat(storedColumn(
                        "{\"plan\": 1.0}\n{\"plan\": 1}\n{\"plan\": 2.5}\n{\"plan\": \"1.0\"}\n{\"plan\": true}\n",
                        DatasetFormat.NDJSON,
                        plan))
                .containsExactly("1", "1", "2.5", "1.0", "true");
    }

    @Test
    void shouldReadTheDateTimesAndBooleanWordsOfTheIssueExamples() throws IOException {
        ColumnSchema at = new ColumnSchema("at", ColumnType.TIMESTAMP, true, null, null, null);
        assertThat(storedColumn("at\n2024-01-01 10:00\nJan 5 2024\n", DatasetFormat.CSV, at))
                .containsExactly(Instant.parse("2024-01-01T10:00:00Z"), Instant.parse("2024-01-05T00:00:00Z"));
        ColumnSchema member = new ColumnSchema("member", ColumnType.BOOLEAN, true, null, null, null);
        assertThat(storedColumn("member\nyes\nNo\n", DatasetFormat.CSV, member)).containsExactly(true, false);
    }
}
