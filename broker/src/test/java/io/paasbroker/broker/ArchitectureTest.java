package io.paasbroker.broker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dependency rules of the design, checked on the compiled classes of every module. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.paasbroker");

    @Test
    void onlyTheBrokerUsesTheOsbFramework() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.paasbroker.broker..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.springframework.cloud.servicebroker..")
                .because("the catalog and the provisioners know nothing of OSB over HTTP")
                .check(CLASSES);
    }

    @Test
    void provisionersAndCatalogDoNotUseSpring() {
        noClasses()
                .that()
                .resideInAnyPackage("io.paasbroker.catalog..", "io.paasbroker.provisioner..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.springframework..")
                .because("provisioners are plain libraries the broker wires; any application could run them")
                .check(CLASSES);
    }

    @Test
    void provisionersNeverReachIntoTheBroker() {
        noClasses()
                .that()
                .resideInAnyPackage("io.paasbroker.catalog..", "io.paasbroker.provisioner..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.paasbroker.broker..")
                .because("providers interact with the broker's state only through inputs and outputs")
                .check(CLASSES);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.paasbroker.(**)")
                .should()
                .beFreeOfCycles()
                .because("each package has one job and depends inward")
                .check(CLASSES);
    }
}
