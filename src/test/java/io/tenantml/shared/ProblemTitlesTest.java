package io.tenantml.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * RFC 9457, 3.1.3: a problem type's title does not change from occurrence to occurrence. A client shows the title
 * of a type it knows; "Not Found" from one layer and "Not found" from another, or a quota refusal titled by its
 * status, read as different problems. {@code ApiFuzzTest} checks the titles it meets on the wire; this reads every
 * problem the code builds with a literal type, including those no malformed request reaches (quotas, limits,
 * conflicts).
 */
class ProblemTitlesTest {

    /** {@code Problem.of(status, "type", "Title"} or {@code Problem.of(status, "type", CONSTANT}. */
    private static final Pattern PROBLEM_OF =
            Pattern.compile("Problem\\.of\\(\\s*[\\w.]+,\\s*\"([a-z-]+)\",\\s*(\"[^\"]*\"|[\\w.]+)");

    /** {@code ProblemException.helper("type"}: the helpers' titles are fixed by the helper. */
    private static final Pattern HELPER = Pattern.compile("ProblemException\\.(\\w+)\\(\\s*\"([a-z-]+)\"");

    private static final Map<String, String> HELPER_TITLES = Map.of(
            "badRequest", "\"Bad request\"",
            "badField", "\"Bad request\"",
            "badParameter", "\"Bad request\"",
            "conflict", "\"Conflict\"",
            "retryableConflict", "\"Conflict\"",
            "unavailable", "\"Service unavailable\"",
            "unprocessable", "\"Unprocessable content\"",
            "unprocessableField", "\"Unprocessable content\"",
            "tooLarge", "\"Content too large\"");

    @Test
    void shouldGiveEveryProblemTypeOneTitle() throws IOException {
        Map<String, Set<String>> titles = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher of = PROBLEM_OF.matcher(source);
                while (of.find()) {
                    String title = of.group(2);
                    // a constant is named alike however it is qualified (QUOTA_EXCEEDED, Quotas.QUOTA_EXCEEDED)
                    titles.computeIfAbsent(of.group(1), t -> new TreeSet<>())
                            .add(title.startsWith("\"") ? title : title.substring(title.lastIndexOf('.') + 1));
                }
                Matcher helper = HELPER.matcher(source);
                while (helper.find()) {
                    String title = HELPER_TITLES.get(helper.group(1));
                    if (title != null) {
                        titles.computeIfAbsent(helper.group(2), t -> new TreeSet<>())
                                .add(title);
                    }
                }
            }
        }
        assertThat(titles).as("problem types built with a literal type").hasSizeGreaterThan(40);
        assertThat(titles).allSatisfy((type, its) -> assertThat(its).as(type).hasSize(1));
    }
}
