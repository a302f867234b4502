package io.tenantml.monitoring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Beyond the seven numeric cases of drift-stats.json, the p-value functions over a grid that visits every
 * region of the Simard–L'Ecuyer split, against SciPy ({@code golden/kolmogorov-grid.json}, written by
 * {@code src/test/scripts/kolmogorov-golden.py}). Sketch-fed windows reach (n, d) anywhere on this plane,
 * so the whole plane is pinned, not only the sizes of the golden cases. Tolerance as in
 * DriftStatisticsGoldenTest: 1e-9 absolute, relative below 1e-9.
 */
class KolmogorovDistributionTest {

    private static JsonNode grid() throws Exception {
        try (InputStream in = KolmogorovDistributionTest.class.getResourceAsStream("/golden/kolmogorov-grid.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void shouldMatchScipyKstwoSurvivalOverTheGrid() throws Exception {
        JsonNode rows = grid().get("kstwo_sf");
        assertThat(rows.size()).isGreaterThan(200);
        List<String> mismatches = new ArrayList<>();
        for (JsonNode row : rows) {
            long n = row.get("n").asLong();
            double x = row.get("x").asDouble();
            check(
                    mismatches,
                    "kstwo.sf(" + x + ", " + n + ")",
                    KolmogorovDistribution.sf(n, x),
                    row.get("sf").asDouble());
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void shouldMatchScipyExactTwoSamplePValues() throws Exception {
        JsonNode rows = grid().get("ks_2samp_exact");
        assertThat(rows.size()).isGreaterThan(30);
        List<String> mismatches = new ArrayList<>();
        for (JsonNode row : rows) {
            long n = row.get("n").asLong();
            long m = row.get("m").asLong();
            double d = row.get("d").asDouble();
            double expected = row.get("pvalue").asDouble();
            String what = "exact p(d=" + d + ", n=" + n + ", m=" + m + ")";
            check(mismatches, what, DriftStatistics.ksPValueExact(d, n, m), expected);
            check(mismatches, what + " with the samples swapped", DriftStatistics.ksPValueExact(d, m, n), expected);
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void shouldDecreaseInTheStatistic() {
        for (long n : new long[] {7, 140, 141, 5000, 2_000_000}) {
            double previous = 1.0;
            for (double x = 0.0; x <= 1.0; x += 0.001) {
                double p = KolmogorovDistribution.sf(n, x);
                assertThat(p).as("sf(%d, %s)", n, x).isBetween(0.0, 1.0).isLessThanOrEqualTo(previous + 1e-9);
                previous = p;
            }
        }
    }

    private static void check(List<String> mismatches, String what, double actual, double expected) {
        double tolerance = Math.abs(expected) < 1e-9 ? Math.abs(expected) * 1e-9 : 1e-9;
        if (!(Math.abs(actual - expected) <= tolerance)) {
            mismatches.add(what + ": " + actual + " instead of " + expected);
        }
    }
}
