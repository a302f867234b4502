package io.tenantml;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import jakarta.persistence.Entity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import ml.dmlc.xgboost4j.java.DMatrix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the package-by-feature boundaries of docs/architecture.md. */
class ArchitectureTest {

    private static final String ROOT = "io.tenantml";
    private static final Path ARCHITECTURE = Path.of("docs/architecture.md");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tenantml");
    }

    static String featureOf(JavaClass c) {
        String[] parts = c.getPackageName().split("\\.");
        return parts.length > 2 ? parts[2] : "";
    }

    @Test
    void shouldNotReachIntoAnotherFeaturesInternals() {
        classes()
                .should(new ArchCondition<>("only use internals of their own feature") {
                    @Override
                    public void check(JavaClass item, ConditionEvents events) {
                        item.getDirectDependenciesFromSelf().forEach(d -> {
                            JavaClass target = d.getTargetClass();
                            if (target.getPackageName().startsWith("io.tenantml.")
                                    && target.getPackageName().contains(".internal")
                                    && !featureOf(target).equals(featureOf(item))) {
                                events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                            }
                        });
                    }
                })
                .check(classes);
    }

    @Test
    void shouldKeepEntitiesBehindTheRestBoundary() {
        noClasses()
                .that()
                .resideInAPackage("..rest..")
                .should()
                .dependOnClassesThat()
                .areAnnotatedWith(Entity.class)
                .because("entities never cross the REST boundary; resources map records")
                .check(classes);
    }

    @Test
    void shouldKeepPublicSurfaceFreeOfRestTypes() {
        noClasses()
                .that()
                .resideInAPackage("io.tenantml.(*)")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.tenantml.*.rest..")
                .because("services do not know the HTTP layer that calls them")
                .check(classes);
    }

    @Test
    void shouldDocumentEveryFeaturePackage() {
        Set<String> features = new TreeSet<>();
        classes.forEach(c -> features.add(featureOf(c)));
        features.remove("");
        assertThat(features).isNotEmpty();
        for (String feature : features) {
            assertThat(Path.of("src/main/java/io/tenantml", feature, "package-info.java"))
                    .as("package-info.java of feature '%s'", feature)
                    .exists();
        }
        assertThat(Files.exists(Path.of("docs/architecture.md")))
                .as("docs/architecture.md")
                .isTrue();
    }

    /** The matrix as docs/architecture.md has it: the doc is the one source of truth, this test reads it. */
    private static Map<String, Set<String>> matrix() throws IOException {
        return ArchitectureRules.readMatrix(Files.readString(ARCHITECTURE));
    }

    @Test
    void shouldKeepFeaturePackagesFreeOfCycles() {
        ArchitectureRules.featuresFreeOfCycles(ROOT).check(classes);
    }

    @Test
    void shouldDependOnOtherFeaturesOnlyAsTheDocumentedMatrixAllows() throws IOException {
        ArchitectureRules.featuresDependAsAllowed(ROOT, matrix()).check(classes);
    }

    @Test
    void shouldGiveEveryFeatureOneRowOfAnAcyclicMatrix() throws IOException {
        Map<String, Set<String>> matrix = matrix();
        Set<String> features = new TreeSet<>();
        classes.forEach(c -> features.add(ArchitectureRules.featureOf(ROOT, c)));
        features.remove("");

        assertThat(matrix.keySet())
                .as("rows of '%s' in docs/architecture.md", ArchitectureRules.MATRIX_HEADING)
                .containsExactlyInAnyOrderElementsOf(features);
        matrix.forEach((feature, uses) -> assertThat(features)
                .as("features that '%s' may depend on", feature)
                .containsAll(uses));
        List<String> cycle = ArchitectureRules.cycleIn(matrix);
        assertThat(cycle).as("a cycle the matrix allows: %s", cycle).isEmpty();
    }

    @Test
    void shouldBuildXGBoostMatricesOnlyInFeature() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.tenantml.feature..")
                .should()
                .callConstructorWhere(DescribedPredicate.describe(
                        "a DMatrix constructor",
                        (JavaConstructorCall call) -> call.getTargetOwner().isAssignableTo(DMatrix.class)))
                .because("what a feature is to XGBoost (position, name, type, missing value) is decided in one place")
                .check(classes);
    }
}
