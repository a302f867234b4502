package io.tenantml.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformSecretsTest {

    private static PlatformSecrets in(Path dataDir) {
        PlatformSecrets secrets = new PlatformSecrets();
        secrets.storage = new io.tenantml.storage.StorageConfig() {
            @Override
            public Path dataDir() {
                return dataDir;
            }

            @Override
            public java.time.Duration abandonedWriteAfter() {
                return java.time.Duration.ofHours(1);
            }
        };
        return secrets;
    }

    @Test
    void shouldCreateTheSecretOnceOwnerOnlyAndReadTheSameOneAfter(@TempDir Path dir) throws Exception {
        String first = in(dir).generated("test.secret", "tenantml.test.secret", "a test");

        Path file = dir.resolve("secrets").resolve("test.secret");
        assertThat(first).matches("[0-9a-f]{64}");
        assertThat(Files.readString(file)).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(in(dir).generated("test.secret", "tenantml.test.secret", "a test"))
                .isEqualTo(first);
        assertThat(in(dir).generated("other.secret", "tenantml.test.other", "a test"))
                .isNotEqualTo(first);
        try (var left = Files.list(file.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("no temporary file left")
                    .containsExactlyInAnyOrder("test.secret", "other.secret");
        }
    }

    @Test
    void shouldGiveEveryNodeThatStartsAtOnceTheSameSecret(@TempDir Path dir) throws Exception {
        // nodes sharing the data dir, each with its own bean, all asking before the file exists
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 30; round++) {
                Path dataDir = dir.resolve("round-" + round);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> nodes = new ArrayList<>();
                for (int n = 0; n < 8; n++) {
                    PlatformSecrets node = in(dataDir);
                    nodes.add(pool.submit(() -> {
                        go.await();
                        return node.generated("race.secret", "tenantml.test.secret", "a test");
                    }));
                }
                go.countDown();
                Set<String> seen = new HashSet<>();
                for (Future<String> node : nodes) {
                    seen.add(node.get(1, TimeUnit.MINUTES));
                }
                assertThat(seen).as("round " + round).hasSize(1);
                assertThat(seen).containsExactly(Files.readString(dataDir.resolve("secrets/race.secret")));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
