package io.tenantml.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A benchmark's child service starts with the flags this test JVM was started with from the pom. */
class ServiceJvmTest {

    @Test
    void shouldStartTheServiceWithEveryFlagTheTestJvmGotFromThePom() {
        // the test JVM's own arguments are what Surefire's argLine made of the same pom property (the JVM reports
        // "--add-modules x" as "--add-modules=x")
        String testJvm = String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())
                .replace("--add-modules=", "--add-modules ");
        assertThat(testJvm).contains(String.join(" ", ServiceJvm.flags()));
        assertThat(ServiceJvm.flags())
                .contains(
                        "--enable-native-access=ALL-UNNAMED",
                        "-Dorg.apache.lucene.vectorization.upperJavaFeatureVersion=25",
                        "-Dai.djl.offline=true");
        assertThat(ServiceJvm.command(Path.of("app.jar"), "-Xmx512m"))
                .startsWith(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m")
                .containsSubsequence(ServiceJvm.flags())
                .endsWith("-jar", "app.jar");
    }
}
