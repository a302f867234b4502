package io.tenantml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link ArchitectureTest} applied to fixtures under {@code io.tenantml.archfixture} (test
 * classes, so the real rules never see them): two features that import each other, and two that do not.
 */
class ArchitectureRulesTest {

    private static final String CYCLE = "io.tenantml.archfixture.cycle";
    private static final String ONE_WAY = "io.tenantml.archfixture.oneway";

    private static JavaClasses fixture(String root) {
        return new ClassFileImporter().importPackages(root);
    }

    @Test
    void shouldReportTheCycleOfTwoFeaturesThatImportEachOther() {
        EvaluationResult result = ArchitectureRules.featuresFreeOfCycles(CYCLE).evaluate(fixture(CYCLE));

        assertThat(result.hasViolation()).isTrue();
        String report = result.getFailureReport().toString();
        assertThat(report)
                .contains("Cycle detected")
                .contains("feature orders")
                .contains("feature billing")
                .contains("Order")
                .contains("Invoice");
    }

    @Test
    void shouldPassTheCycleRuleWhenTheDependencyGoesOneWay() {
        EvaluationResult result =
                ArchitectureRules.featuresFreeOfCycles(ONE_WAY).evaluate(fixture(ONE_WAY));

        assertThat(result.hasViolation())
                .as(result.getFailureReport().toString())
                .isFalse();
    }

    @Test
    void shouldReportADependencyTheMatrixDoesNotAllow() {
        Map<String, Set<String>> ordersMayUseBilling = Map.of("orders", Set.of("billing"), "billing", Set.of());

        EvaluationResult result = ArchitectureRules.featuresDependAsAllowed(CYCLE, ordersMayUseBilling)
                .evaluate(fixture(CYCLE));

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("billing -> orders is not in the matrix"));
    }

    @Test
    void shouldPassTheMatrixRuleWhenEveryDependencyIsAllowed() {
        Map<String, Set<String>> ordersMayUseBilling = Map.of("orders", Set.of("billing"), "billing", Set.of());

        EvaluationResult result = ArchitectureRules.featuresDependAsAllowed(ONE_WAY, ordersMayUseBilling)
                .evaluate(fixture(ONE_WAY));

        assertThat(result.hasViolation())
                .as(result.getFailureReport().toString())
                .isFalse();
    }

    @Test
    void shouldReportAFeatureWithoutARowInTheMatrix() {
        EvaluationResult result = ArchitectureRules.featuresDependAsAllowed(ONE_WAY, Map.of("orders", Set.of()))
                .evaluate(fixture(ONE_WAY));

        assertThat(result.getFailureReport().toString()).contains("feature 'billing' has no row in the matrix");
    }

    @Test
    void shouldReadTheMatrixFromTheTableUnderItsHeading() {
        String markdown = """
                # Architecture

                ## Allowed dependencies between features

                Read a row as: the feature may depend on these.

                | feature | may depend on |
                | --- | --- |
                | `shared` | - |
                | `billing` | `shared` |
                | `orders` | `shared`, `billing` |

                ## Next section
                | `ignored` | `shared` |
                """;

        assertThat(ArchitectureRules.readMatrix(markdown))
                .containsExactly(
                        Map.entry("shared", Set.of()),
                        Map.entry("billing", Set.of("shared")),
                        Map.entry("orders", Set.of("shared", "billing")));
    }

    @Test
    void shouldRefuseAMatrixThatNamesAFeatureTwice() {
        String markdown = """
                ## Allowed dependencies between features

                | feature | may depend on |
                | --- | --- |
                | `orders` | - |
                | `orders` | `billing` |
                """;

        assertThatThrownBy(() -> ArchitectureRules.readMatrix(markdown)).hasMessageContaining("'orders' has two rows");
    }

    @Test
    void shouldFindACycleTheMatrixItselfWouldAllow() {
        List<String> cycle = ArchitectureRules.cycleIn(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a")));

        assertThat(cycle).hasSize(4).containsAll(List.of("a", "b", "c"));
        assertThat(cycle.getFirst()).isEqualTo(cycle.getLast());
        assertThat(ArchitectureRules.cycleIn(Map.of("a", Set.of("b"), "b", Set.of())))
                .isEmpty();
    }
}
