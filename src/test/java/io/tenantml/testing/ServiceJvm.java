package io.tenantml.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command that starts the packaged service in a child JVM (the benchmarks that measure a real start), with
 * the JVM flags the pom's {@code tenantml.jvm.flags} gives the tests and {@code ./tml run}: one list, so a flag
 * added there (Lucene's SIMD switch was one) reaches every JVM that runs the service.
 */
public final class ServiceJvm {

    /** System property Surefire sets to the pom's {@code tenantml.jvm.flags} (a name of its own: tml and the scripts read the pom's element of that name). */
    static final String FLAGS_PROPERTY = "tenantml.test.jvm-flags";

    private ServiceJvm() {}

    /** The pom's JVM flags, as Surefire passed them to this test JVM. */
    public static List<String> flags() {
        String flags = System.getProperty(FLAGS_PROPERTY);
        if (flags == null || flags.isBlank()) {
            throw new IllegalStateException(
                    FLAGS_PROPERTY + " is not set: run the tests through Maven (the pom's Surefire passes it)");
        }
        return Arrays.asList(flags.trim().split("\\s+"));
    }

    /** {@code java <options> <the pom's flags> -jar <jar>}, with this JVM's {@code java}. */
    public static List<String> command(Path jar, String... options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(options));
        command.addAll(flags());
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }
}
