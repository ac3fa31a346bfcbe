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
    void provisionersAndCatalogDoNotUseSpringOutsideTheirWiring() {
        noClasses()
                .that()
                .resideInAnyPackage("io.paasbroker.catalog..", "io.paasbroker.provisioner..")
                .and()
                .resideOutsideOfPackage("io.paasbroker.provisioner.*.boot..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.springframework..")
                .because("provisioners are plain libraries; only a module's boot package plugs it into the broker")
                .check(CLASSES);
    }

    @Test
    void theBrokerKnowsNoProvisionerAndNoEmbeddedServer() {
        noClasses()
                .that()
                .resideInAPackage("io.paasbroker.broker..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.paasbroker.provisioner.local..",
                        "io.paasbroker.provisioner.aws..",
                        "io.paasbroker.provisioner.azure..",
                        "io.paasbroker.embedded..")
                .because("provisioners plug in as modules, and the production artifact has no embedded server")
                .check(CLASSES);
    }

    @Test
    void eachCloudSdkStaysInItsProvisioner() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "io.paasbroker.provisioner.aws..",
                        "io.paasbroker.broker.backup..",
                        "io.paasbroker.provisioner.local.s3..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("software.amazon.awssdk..")
                .because("the AWS SDK is the aws provisioner's; its S3 client speaks to the backup store and to the"
                        + " local S3 server")
                .check(CLASSES);
        noClasses()
                .that()
                .resideOutsideOfPackage("io.paasbroker.provisioner.azure..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("com.azure..")
                .because("the Azure SDK is the azure provisioner's")
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
