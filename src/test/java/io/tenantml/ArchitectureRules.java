package io.tenantml;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The package rules of docs/architecture.md as functions of a root package, so that {@link ArchitectureTest}
 * applies them to {@code io.tenantml} and {@code ArchitectureRulesTest} shows on small fixtures that they
 * catch what they are meant to catch. A feature is the first package below the root.
 */
final class ArchitectureRules {

    /** The heading of the section of docs/architecture.md that holds the matrix. */
    static final String MATRIX_HEADING = "## Allowed dependencies between features";

    private static final Pattern NAME = Pattern.compile("`([a-z][a-z0-9]*)`");

    private ArchitectureRules() {}

    /** The feature of a class below {@code root}, or "" for a class outside it or directly in it. */
    static String featureOf(String root, JavaClass c) {
        String pkg = c.getPackageName();
        if (!pkg.startsWith(root + ".")) {
            return "";
        }
        String rest = pkg.substring(root.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    /** No two features depend on each other, directly or through others. */
    static ArchRule featuresFreeOfCycles(String root) {
        return slices().matching(root + ".(*)..")
                .namingSlices("feature $1")
                .should()
                .beFreeOfCycles()
                .because("the ML path goes one way: a feature that needs another's types takes them from a package"
                        + " both may depend on (docs/architecture.md)");
    }

    /** Every dependency between two features is allowed by the matrix (feature -> features it may use). */
    static ArchRule featuresDependAsAllowed(String root, Map<String, Set<String>> allowed) {
        return classes()
                .that()
                .resideInAPackage(root + "..")
                .should(
                        new ArchCondition<>(
                                "depend on other features only as the matrix of docs/architecture.md allows") {
                            @Override
                            public void check(JavaClass item, ConditionEvents events) {
                                String from = featureOf(root, item);
                                if (from.isEmpty()) {
                                    return;
                                }
                                Set<String> mayUse = allowed.get(from);
                                if (mayUse == null) {
                                    events.add(SimpleConditionEvent.violated(
                                            item,
                                            "feature '" + from + "' has no row in the matrix (" + item.getName()
                                                    + ")"));
                                    return;
                                }
                                item.getDirectDependenciesFromSelf().forEach(d -> {
                                    String to = featureOf(root, d.getTargetClass());
                                    if (!to.isEmpty() && !to.equals(from) && !mayUse.contains(to)) {
                                        events.add(SimpleConditionEvent.violated(
                                                d,
                                                from + " -> " + to + " is not in the matrix: " + d.getDescription()));
                                    }
                                });
                            }
                        });
    }

    /**
     * Reads the matrix from the table under {@link #MATRIX_HEADING}: one row per feature, the feature in the
     * first cell and the features it may depend on in the second, each in backquotes ("-" for none).
     */
    static Map<String, Set<String>> readMatrix(String markdown) {
        List<String> lines = Arrays.asList(markdown.split("\n", -1));
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(MATRIX_HEADING)) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            throw new IllegalArgumentException("no section '" + MATRIX_HEADING + "'");
        }
        int i = at + 1;
        while (i < lines.size() && !lines.get(i).strip().startsWith("|")) {
            if (lines.get(i).startsWith("#")) {
                throw new IllegalArgumentException("no table under '" + MATRIX_HEADING + "'");
            }
            i++;
        }
        Map<String, Set<String>> matrix = new LinkedHashMap<>();
        // header and separator first
        for (i += 2; i < lines.size() && lines.get(i).strip().startsWith("|"); i++) {
            String[] cells = lines.get(i).strip().split("\\|", -1);
            if (cells.length < 4) {
                throw new IllegalArgumentException("matrix row with fewer than two cells: " + lines.get(i));
            }
            Matcher feature = NAME.matcher(cells[1]);
            if (!feature.find()) {
                throw new IllegalArgumentException("matrix row without a `feature`: " + lines.get(i));
            }
            Set<String> uses = new LinkedHashSet<>();
            for (Matcher m = NAME.matcher(cells[2]); m.find(); ) {
                uses.add(m.group(1));
            }
            if (matrix.put(feature.group(1), uses) != null) {
                throw new IllegalArgumentException("feature '" + feature.group(1) + "' has two rows");
            }
        }
        if (matrix.isEmpty()) {
            throw new IllegalArgumentException("empty matrix under '" + MATRIX_HEADING + "'");
        }
        return matrix;
    }

    /** A cycle the matrix itself allows (a feature first and last), or an empty list. */
    static List<String> cycleIn(Map<String, Set<String>> matrix) {
        Map<String, Integer> state = new HashMap<>(); // 1: on the path, 2: done
        List<String> path = new ArrayList<>();
        for (String start : matrix.keySet()) {
            List<String> cycle = visit(start, matrix, state, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        return List.of();
    }

    private static List<String> visit(
            String node, Map<String, Set<String>> matrix, Map<String, Integer> state, List<String> path) {
        Integer s = state.get(node);
        if (s != null && s == 2) {
            return List.of();
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            cycle.add(node);
            return cycle;
        }
        state.put(node, 1);
        path.add(node);
        for (String next : matrix.getOrDefault(node, Set.of())) {
            List<String> cycle = visit(next, matrix, state, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        path.removeLast();
        state.put(node, 2);
        return List.of();
    }
}
