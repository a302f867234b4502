package io.tenantml.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.tenantml.shared.TenantId;
import io.tenantml.storage.internal.FileSystemBlobStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupSweepsTest {

    static final TenantId ACME = new TenantId("acme");
    static final TenantId GLOBEX = new TenantId("globex");

    @TempDir
    Path dir;

    BlobStore blobs;
    StartupSweeps sweeps;
    final Map<TenantId, List<BlobKey>> seen = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        blobs = new FileSystemBlobStore(dir.resolve("blobs"));
        sweeps = new StartupSweeps();
        sweeps.blobs = blobs;
        sweeps.clock = Clock.systemUTC();
        sweeps.config = new StorageConfig() {
            @Override
            public Path dataDir() {
                return dir;
            }

            @Override
            public Duration abandonedWriteAfter() {
                return Duration.ofHours(1);
            }
        };
    }

    @Test
    void shouldLetTheNodeStartWhileTheSweepRuns() throws Exception {
        blobs.put(ACME, BlobKey.of("models", "m", "a.ubj"), new ByteArrayInputStream(new byte[] {1}));
        CountDownLatch release = new CountDownLatch(1);
        sweeps.parts = List.of(part(0, (tenant, files) -> {
            release.await();
            seen.put(tenant, files);
            return true;
        }));

        // the start observer returns although the sweep cannot end before the latch is released
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> sweeps.onStart(null));

        assertThat(seen).isEmpty();
        release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsKey(ACME));
    }

    @Test
    void shouldGoOnWithTheOtherTenantsAndPartsWhenAPartFailsOnOneTenant() throws Exception {
        blobs.put(ACME, BlobKey.of("a.bin"), new ByteArrayInputStream(new byte[] {1}));
        blobs.put(GLOBEX, BlobKey.of("g.bin"), new ByteArrayInputStream(new byte[] {2}));
        sweeps.parts = List.of(
                part(0, (tenant, files) -> {
                    if (tenant.equals(ACME)) {
                        throw new IllegalStateException("the database is gone for a moment");
                    }
                    return true;
                }),
                part(1, (tenant, files) -> {
                    seen.put(tenant, files);
                    return true;
                }));

        StartupSweeps.Result result = sweeps.start().get(30, TimeUnit.SECONDS);

        assertThat(result.failures()).isEqualTo(1);
        assertThat(seen).containsOnlyKeys(ACME, GLOBEX);
        assertThat(seen.get(GLOBEX)).containsExactly(BlobKey.of("g.bin"));
    }

    @Test
    void shouldSkipTheLaterPartsOfATenantWhoseFilesAnEarlierPartRemoved() throws Exception {
        blobs.put(ACME, BlobKey.of("a.bin"), new ByteArrayInputStream(new byte[] {1}));
        sweeps.parts = List.of(
                part(10, (tenant, files) -> {
                    seen.put(tenant, files);
                    return true;
                }),
                part(0, (tenant, files) -> {
                    blobs.deleteTenant(tenant);
                    return false;
                }));

        sweeps.start().get(30, TimeUnit.SECONDS);

        assertThat(seen).isEmpty();
        assertThat(blobs.tenants()).isEmpty();
    }

    @Test
    void shouldJudgeTheAgeOfWritesFromTheNodesStartNotFromWhenTheSweepReachesThem() throws Exception {
        // a sweep that reaches the files two hours after the node started (a huge tree, a slow disk)
        Instant start = Instant.now();
        sweeps.clock = new Clock() {
            private int calls;

            @Override
            public Instant instant() {
                return start.plus(Duration.ofHours(2L * calls++));
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        sweeps.parts = List.of();
        BlobStore.BlobWriter running = blobs.writer(ACME, BlobKey.of("batch-predictions", "m", "b.csv"));
        running.stream().write(new byte[100]);
        running.stream().flush();
        BlobStore.BlobWriter died = blobs.writer(ACME, BlobKey.of("batch-predictions", "m", "old.csv"));
        Path dead = partial(died);
        Files.setLastModifiedTime(dead, FileTime.from(start.minus(Duration.ofHours(2))));

        StartupSweeps.Result result = sweeps.start().get(30, TimeUnit.SECONDS);

        // the write this node began after its start is younger than the limit measured from the start
        assertThat(result.abandonedWritesDeleted()).isEqualTo(1);
        assertThat(dead).doesNotExist();
        assertThat(partials()).hasSize(1);
        running.commit();
        running.close();
        died.close();
    }

    private Path partial(BlobStore.BlobWriter writer) throws Exception {
        writer.stream().write(new byte[10]);
        writer.stream().flush();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".old.csv"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    private List<Path> partials() throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".partial"))
                    .toList();
        }
    }

    interface TenantWork {
        boolean sweep(TenantId tenant, List<BlobKey> files) throws Exception;
    }

    private static AfterStartSweep part(int order, TenantWork work) {
        return new AfterStartSweep() {
            @Override
            public int order() {
                return order;
            }

            @Override
            public boolean sweepTenant(TenantId tenant, List<BlobKey> files) throws Exception {
                return work.sweep(tenant, files);
            }
        };
    }
}
