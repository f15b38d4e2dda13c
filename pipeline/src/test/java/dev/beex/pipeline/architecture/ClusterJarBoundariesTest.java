package dev.beex.pipeline.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The cluster jar (mvn -Pcluster package) leaves the training module out: everything a cluster
 * job loads (the job, `run` and its entry point, the operators) must depend on the model runtime only.
 */
class ClusterJarBoundariesTest {
    private static final String[] TRAINING = {
        "dev.beex.model.nn..", "dev.beex.model.train..", "dev.beex.model.eval..", "dev.beex.model.data..",
        "dev.beex.model.bench..", "org.jfree.."
    };

    @Test
    void whatAClusterJobLoadsNeedsNoTrainingCode() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.beex.pipeline", "dev.beex.operators");
        noClasses().that().resideInAnyPackage("dev.beex.pipeline.job..", "dev.beex.operators..")
                .or().haveSimpleName("ClusterMain").or().haveSimpleName("RunCommand").or().haveSimpleName("ConfigOptions")
                .should().dependOnClassesThat().resideInAnyPackage(TRAINING)
                .because("the cluster jar ships without beex-training")
                .check(classes);
    }
}
