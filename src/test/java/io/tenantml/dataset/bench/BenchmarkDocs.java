package io.tenantml.dataset.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a benchmark's results into its own marked section of docs/benchmarks.md, replacing the last run's. */
public final class BenchmarkDocs {

    static final Path FILE = Path.of("docs/benchmarks.md");

    private BenchmarkDocs() {}

    public static void replaceSection(String id, String results) throws IOException {
        String start = "<!-- results:" + id + ":start -->";
        String end = "<!-- results:" + id + ":end -->";
        String doc = Files.readString(FILE);
        int i = doc.indexOf(start);
        int j = doc.indexOf(end);
        if (i < 0 || j < i) {
            throw new IllegalStateException("docs/benchmarks.md has no " + start + " ... " + end + " markers");
        }
        Files.writeString(FILE, doc.substring(0, i + start.length()) + "\n" + results + doc.substring(j));
    }
}
