package io.tenantml.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Makes a file that cannot be deleted, even by root (who ignores permissions, and runs these tests): the ext4
 * immutable attribute, through {@code chattr}. Tests that need one are skipped where chattr cannot set it.
 */
public final class Immutable {

    private Immutable() {}

    /** Makes {@code file} impossible to delete (or skips the test); undo with {@link #clear}. */
    public static void set(Path file) throws IOException, InterruptedException {
        assumeTrue(chattr("+i", file), "chattr +i is not available here");
    }

    public static void clear(Path file) throws IOException, InterruptedException {
        chattr("-i", file);
    }

    private static boolean chattr(String flag, Path file) throws IOException, InterruptedException {
        try {
            Process p = new ProcessBuilder("chattr", flag, file.toString())
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
