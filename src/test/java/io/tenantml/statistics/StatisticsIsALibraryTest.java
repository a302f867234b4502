package io.tenantml.statistics;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Every feature may use statistics, so statistics may use no feature (else the first user makes a cycle). */
class StatisticsIsALibraryTest {

    @Test
    void shouldDependOnlyOnTheJdkAndDataSketches() {
        classes()
                .that()
                .resideInAPackage("io.tenantml.statistics..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("io.tenantml.statistics..", "java..", "org.apache.datasketches..")
                .because("statistics is a library of its own: no tenant, no database, no other feature")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.tenantml.statistics"));
    }

    @Test
    void shouldBeTheOnlyPackageThatUsesDataSketches() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.tenantml.statistics..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.datasketches..")
                .because("sketches are stored as our own versioned bytes; a feature holding a raw DataSketches"
                        + " object would tie its storage to the library's format and bypass our bounds")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.tenantml"));
    }
}
