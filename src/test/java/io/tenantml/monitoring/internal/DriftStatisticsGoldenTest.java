package io.tenantml.monitoring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantml.monitoring.CategoricalSummary;
import io.tenantml.monitoring.NumericSummary;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Acceptance 1 of issue 11: every figure of {@code golden/drift-stats.json} (SciPy 1.17.1; see the README
 * beside it), one test per case.
 *
 * <p>Tolerance: 1e-9, absolute for statistics and for p-values ≥ 1e-9, relative for smaller p-values
 * (4.3e-22, 7.3e-7 ...): an absolute 1e-9 would accept any number below 1e-9 there, so it could not catch a
 * wrong tail; relative 1e-9 is what double-precision tail algorithms deliver and what SciPy's own tests ask.
 */
class DriftStatisticsGoldenTest {

    private static final double TOLERANCE = 1e-9;
    private static final JsonNode GOLDEN = load();

    private static JsonNode load() {
        try (InputStream in = DriftStatisticsGoldenTest.class.getResourceAsStream("/golden/drift-stats.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> numericCases() {
        return cases("numeric");
    }

    static Stream<Arguments> categoricalCases() {
        return cases("categorical");
    }

    private static Stream<Arguments> cases(String kind) {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : GOLDEN.get("cases")) {
            if (c.get("kind").asText().equals(kind)) {
                out.add(Arguments.of(c.get("name").asText(), c));
            }
        }
        assertThat(out).isNotEmpty();
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numericCases")
    void shouldMatchScipyOnNumericCase(String name, JsonNode c) {
        double[] reference = doubles(c.get("reference"));
        double[] current = doubles(c.get("current"));
        NumericSummary a = NumericSummary.exact(reference);
        NumericSummary b = NumericSummary.exact(current);
        double d = DriftStatistics.ksStatistic(a, b);

        JsonNode asymp = c.get("ks_asymp");
        assertClose("ks_asymp.statistic", d, asymp.get("statistic").asDouble());
        assertClose(
                "ks_asymp.pvalue",
                DriftStatistics.ksPValueAsymptotic(d, reference.length, current.length),
                asymp.get("pvalue").asDouble());
        if (c.has("ks_exact")) {
            JsonNode exact = c.get("ks_exact");
            assertClose("ks_exact.statistic", d, exact.get("statistic").asDouble());
            assertClose(
                    "ks_exact.pvalue",
                    DriftStatistics.ksPValueExact(d, reference.length, current.length),
                    exact.get("pvalue").asDouble());
        }
        assertClose(
                "wasserstein",
                DriftStatistics.wasserstein(a, b),
                c.get("wasserstein").asDouble());
        // symmetric in the samples, as SciPy's
        assertClose(
                "wasserstein swapped",
                DriftStatistics.wasserstein(b, a),
                c.get("wasserstein").asDouble());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("categoricalCases")
    void shouldMatchScipyOnCategoricalCase(String name, JsonNode c) {
        CategoricalSummary reference = CategoricalSummary.of(strings(c.get("reference")));
        CategoricalSummary current = CategoricalSummary.of(strings(c.get("current")));
        List<String> categories = strings(c.get("categories"));
        double[] r = new double[categories.size()];
        double[] q = new double[categories.size()];
        for (int i = 0; i < categories.size(); i++) {
            r[i] = reference.counts().getOrDefault(categories.get(i), 0L);
            q[i] = current.counts().getOrDefault(categories.get(i), 0L);
        }
        DriftStatistics.ChiSquared chi = DriftStatistics.chiSquaredHomogeneity(r, q);
        assertClose(
                "chi2.statistic",
                chi.statistic(),
                c.get("chi2").get("statistic").asDouble());
        assertClose("chi2.pvalue", chi.pValue(), c.get("chi2").get("pvalue").asDouble());
        assertThat(chi.degreesOfFreedom()).isEqualTo(c.get("chi2").get("dof").asInt());

        assertClose(
                "jensenshannon_base2",
                DriftStatistics.jensenShannonDistance(r, q),
                c.get("jensenshannon_base2").asDouble());
        double[] rp = proportions(r);
        double[] qp = proportions(q);
        assertClose(
                "psi_eps_1e-4",
                DriftStatistics.populationStabilityIndex(rp, qp, 1e-4),
                c.get("psi_eps_1e-4").asDouble());
    }

    @Test
    void shouldMatchScipyBenjaminiHochberg() {
        JsonNode bh = GOLDEN.get("benjamini_hochberg");
        double[] adjusted = DriftStatistics.benjaminiHochberg(doubles(bh.get("pvalues")));
        double[] expected = doubles(bh.get("adjusted"));
        assertThat(adjusted).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertClose("adjusted[" + i + "]", adjusted[i], expected[i]);
        }
    }

    private static void assertClose(String what, double actual, double expected) {
        double tolerance = Math.abs(expected) < TOLERANCE ? Math.abs(expected) * TOLERANCE : TOLERANCE;
        assertThat(actual).as(what + " (expected " + expected + ")").isCloseTo(expected, offset(tolerance));
    }

    private static double[] proportions(double[] counts) {
        double total = 0;
        for (double c : counts) {
            total += c;
        }
        double[] out = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = counts[i] / total;
        }
        return out;
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
