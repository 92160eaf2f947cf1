package io.haupgrade;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Keeps the engine a plain library: no Jenkins types, no printing, no silent exceptions. */
@AnalyzeClasses(packages = "io.haupgrade", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule NO_JENKINS_TYPES = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("hudson..", "jenkins..", "org.jenkinsci..", "org.kohsuke.stapler..")
            .because("the engine runs from the CLI and any CI; the plugin adapts it");

    @ArchTest
    static final ArchRule NO_CONSOLE_OUTPUT = noClasses().should().accessField(System.class, "out")
            .orShould().accessField(System.class, "err")
            .because("the engine reports progress as events; the CLI and the plugin render them");

    @ArchTest
    static final ArchRule NO_MESSAGELESS_EXCEPTIONS = noClasses().should()
            .callConstructor(IllegalStateException.class)
            .orShould().callConstructor(IllegalArgumentException.class)
            .orShould().callConstructor(RuntimeException.class)
            .because("every error says what went wrong and where");
}
