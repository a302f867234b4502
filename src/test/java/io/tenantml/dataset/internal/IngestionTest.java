package io.tenantml.dataset.internal;

import io.tenantml.dataset.DatasetFormat;
import io.tenantml.dataset.IngestPolicy;
import io.tenantml.shared.ProblemException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(outcome.schema().columns()).extracting(c -> c.name() + ":" + c.type().wireName())
                .containsExactly("date:timestamp", "delay:numeric", "distance:numeric", "origin:categorical",
                        "destination:categorical");
        assertThat(outcome.rows()).isEqualTo(20_000);
        try (RowCodec.Reader reader = new RowCodec.Reader(Files.newInputStream(outcome.rowsFile()))) {
            io.tenantml.dataset.DatasetRow first = reader.next();
            // {"date":"2001/01/01 00:47","delay":66,"distance":1750,"origin":"DTW","destination":"LAS"}
            assertThat(first.line()).isEqualTo(1);
            assertThat(first.values()).containsExactly(Instant.parse("2001-01-01T00:47:00Z"), 66.0, 1750.0, "DTW", "LAS");
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
                .hasMessageContaining("line 3").hasMessageContaining("ragged");
        assertThatThrownBy(() -> ingestText("{\"a\": 1}\n\n{\"a\": }\n", DatasetFormat.NDJSON))
                .hasMessageContaining("line 3");
        assertThatThrownBy(() -> ingestText("{\"a\": 1}", DatasetFormat.JSON))
                .hasMessageContaining("array of objects");
        assertThatThrownBy(() -> ingestText("[{\"a\": 1, \"a\": 2}]", DatasetFormat.JSON))
                .hasMessageContaining("record 1").hasMessageContaining("Duplicate field");
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
}
