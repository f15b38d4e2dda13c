package dev.beex.model.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The serving runtime (beex-runtime) must stand on its own: a cluster job ships it without the
 * training tools. Maven already keeps the runtime module from compiling against training code;
 * this test also guards the package boundaries inside the runtime and fails with a readable
 * message if someone moves training code into it.
 */
class ModuleBoundariesTest {
    /** Packages of the runtime module (dev.beex.model itself holds the shared value classes). */
    private static final String[] RUNTIME = {
        "dev.beex.model", "dev.beex.model.text..", "dev.beex.model.exit..", "dev.beex.model.kernels..",
        "dev.beex.model.engine..", "dev.beex.model.artifact.."
    };
    /** Packages of the training/tools module. */
    private static final String[] TRAINING = {
        "dev.beex.model.nn..", "dev.beex.model.train..", "dev.beex.model.eval..", "dev.beex.model.data..",
        "dev.beex.model.bench..", "dev.beex.model.teacher.."
    };

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.beex.model");
    }

    @Test
    void runtimeNeverDependsOnTrainingCode() {
        ArchRule rule = noClasses().that().resideInAnyPackage(RUNTIME)
                .should().dependOnClassesThat().resideInAnyPackage(TRAINING)
                .because("the serving runtime ships without the training tools");
        rule.check(classes);
    }

    @Test
    void runtimeUsesNoTrainingOnlyLibraries() {
        ArchRule rule = noClasses().that().resideInAnyPackage(RUNTIME)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.jfree..", "com.fasterxml.jackson..", "org.HdrHistogram..", "org.openjdk.jmh..")
                .because("the runtime's only dependency is Lucene");
        rule.check(classes);
    }

    @Test
    void engineKeepsToItsLayer() {
        ArchRule rule = noClasses().that().resideInAnyPackage("dev.beex.model.kernels..", "dev.beex.model.text..",
                        "dev.beex.model.exit..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.beex.model.engine..", "dev.beex.model.artifact..")
                .because("kernels, tokenizer and exit rules sit below the engine and the artifact codec");
        rule.check(classes);
    }

    /**
     * The pretrained teacher (ONNX Runtime, langchain4j) lives in its own module behind its own
     * jar: training reads only the teacher's cache, and neither it nor the runtime can reach the
     * teacher's libraries (so neither can beex.jar, which is built from them).
     */
    @Test
    void teacherLibrariesAreNotOnTheTrainingClasspath() {
        for (String name : new String[] {"ai.onnxruntime.OrtSession", "dev.langchain4j.model.embedding.EmbeddingModel",
            "dev.beex.teacher.TeacherMain"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Class.forName(name))
                    .as(name).isInstanceOf(ClassNotFoundException.class);
        }
    }
}
