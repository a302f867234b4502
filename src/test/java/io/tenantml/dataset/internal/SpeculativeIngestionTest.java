package io.tenantml.dataset.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantml.dataset.DatasetFormat;
import io.tenantml.dataset.IngestPolicy;
import io.tenantml.shared.ProblemException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpeculativeIngestionTest {

    Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("speculative-test");
    }

    @AfterEach
    void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private Ingestion ingestion() {
        return new Ingestion(TestConfig.defaults(), IngestionTest.CLOCK);
    }

    private byte[] resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/datasets/" + name)) {
            return in.readAllBytes();
        }
    }

    /** A body that arrives in small reads, so that the pass catches up with the spool many times. */
    private static InputStream trickle(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 997));
            }
        };
    }

    private List<Path> workFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().endsWith(".spool"))
                    .toList();
        }
    }

    @Test
    void shouldGiveTheSameOutcomeAsAPassOverTheCompleteSpool() throws IOException {
        byte[] body = resource("flights-20k.json");
        Path file = Spool.create(dir);
        Ingestion.Outcome speculative;
        try (SpeculativeIngestion s = SpeculativeIngestion.start(
                file, ingestion(), DatasetFormat.JSON, null, IngestPolicy.defaults(), null, dir)) {
            Spool.receive(trickle(body), file, Long.MAX_VALUE, s::written);
            s.received();
            speculative = s.result();
        }
        Ingestion.Outcome complete =
                ingestion().run(file, DatasetFormat.JSON, null, IngestPolicy.defaults(), null, dir);

        assertThat(speculative.sha256()).isEqualTo(complete.sha256());
        assertThat(Files.readAllBytes(speculative.rowsFile())).isEqualTo(Files.readAllBytes(complete.rowsFile()));
        assertThat(speculative.schema()).isEqualTo(complete.schema());
        ProfileAssertions.assertSameProfileUpToSketchError(speculative, complete);
        assertThat(speculative.rows()).isEqualTo(20_000);
    }

    @Test
    void shouldReportAParseErrorOnlyThroughResultAfterTheWholeBody() throws IOException {
        byte[] body = "a,b\n1,2\n3,\"4\n".getBytes(StandardCharsets.UTF_8);
        Path file = Spool.create(dir);
        try (SpeculativeIngestion s = SpeculativeIngestion.start(
                file, ingestion(), DatasetFormat.CSV, null, IngestPolicy.defaults(), null, dir)) {
            Spool.receive(trickle(body), file, Long.MAX_VALUE, s::written);
            s.received();
            assertThatThrownBy(s::result)
                    .isInstanceOf(ProblemException.class)
                    .satisfies(e -> assertThat(((ProblemException) e).problem().status())
                            .isEqualTo(400));
        }
        assertThat(workFiles()).isEmpty();
    }

    @Test
    void shouldStopAWaitingPassAndLeaveNothingWhenTheBodyFails() throws Exception {
        Path file = Spool.create(dir);
        CountDownLatch firstBytes = new CountDownLatch(1);
        SpeculativeIngestion s = SpeculativeIngestion.start(
                file, ingestion(), DatasetFormat.CSV, null, IngestPolicy.defaults(), null, dir);
        // The body's first 2 KB arrive, then it exceeds the size limit: the pass waits for bytes that never come.
        assertThatThrownBy(() ->
                        Spool.receive(trickle("x".repeat(4000).getBytes(StandardCharsets.UTF_8)), file, 2000, total -> {
                            s.written(total);
                            firstBytes.countDown();
                        }))
                .isInstanceOf(ProblemException.class);
        firstBytes.await();
        s.close();
        assertThat(workFiles()).isEmpty();
        assertThat(Files.exists(file)).isFalse();
    }

    @Test
    void shouldDeleteTheFilesOfAnOutcomeNobodyTook() throws IOException {
        byte[] body = resource("penguins.json");
        Path file = Spool.create(dir);
        try (SpeculativeIngestion s = SpeculativeIngestion.start(
                file, ingestion(), DatasetFormat.JSON, null, IngestPolicy.defaults(), null, dir)) {
            Spool.receive(new ByteArrayInputStream(body), file, Long.MAX_VALUE, s::written);
            s.received();
            // A replay or a refused key: the request answers without the pass's result.
        }
        assertThat(workFiles()).isEmpty();
    }
}
