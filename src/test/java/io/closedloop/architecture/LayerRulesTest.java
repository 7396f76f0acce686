package io.closedloop.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layers (README, Architecture): a core that imports nothing of the project; adapters per system
 * that never import each other, the flow layer, ops or runtime; flows on top; no cycles; no sandbox in production.
 */
class LayerRulesTest {
    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.closedloop");
    }

    @Test
    void coreImportsNothingOfTheProject() {
        check(noClasses().that().resideInAPackage("io.closedloop.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.closedloop.config..", "io.closedloop.state..", "io.closedloop.hubspot..", "io.closedloop.salesforce..",
                        "io.closedloop.flow..", "io.closedloop.ops..", "io.closedloop.runtime..", "io.closedloop.cli..",
                        "io.closedloop.log..", "io.closedloop.sandbox.."));
    }

    @Test
    void configImportsOnlyTheCore() {
        check(noClasses().that().resideInAPackage("io.closedloop.config..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.closedloop.state..", "io.closedloop.hubspot..", "io.closedloop.salesforce..", "io.closedloop.flow..",
                        "io.closedloop.ops..", "io.closedloop.runtime..", "io.closedloop.cli..", "io.closedloop.sandbox.."));
    }

    @Test
    void hubspotNeverImportsSalesforceTheFlowsOpsOrRuntime() {
        check(noClasses().that().resideInAPackage("io.closedloop.hubspot..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.closedloop.salesforce..", "io.closedloop.flow..", "io.closedloop.ops..", "io.closedloop.runtime..",
                        "io.closedloop.cli..", "io.closedloop.sandbox.."));
    }

    @Test
    void salesforceNeverImportsHubspotTheFlowsOpsOrRuntime() {
        check(noClasses().that().resideInAPackage("io.closedloop.salesforce..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.closedloop.hubspot..", "io.closedloop.flow..", "io.closedloop.ops..", "io.closedloop.runtime..",
                        "io.closedloop.cli..", "io.closedloop.sandbox.."));
    }

    @Test
    void theStateStoreNeverImportsAnotherSystemTheFlowsOpsOrRuntime() {
        check(noClasses().that().resideInAPackage("io.closedloop.state..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.closedloop.hubspot..", "io.closedloop.salesforce..", "io.closedloop.flow..", "io.closedloop.ops..",
                        "io.closedloop.runtime..", "io.closedloop.cli..", "io.closedloop.sandbox.."));
    }

    @Test
    void opsNeverImportsAdaptersFlowsOrRuntime() {
        check(noClasses().that().resideInAPackage("io.closedloop.ops..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.closedloop.hubspot..", "io.closedloop.salesforce..", "io.closedloop.flow..",
                        "io.closedloop.runtime..", "io.closedloop.cli..", "io.closedloop.sandbox.."));
    }

    @Test
    void loggingImportsOnlyTheCoreAndConfig() {
        check(noClasses().that().resideInAPackage("io.closedloop.log..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.closedloop.state..", "io.closedloop.hubspot..", "io.closedloop.salesforce..", "io.closedloop.flow..",
                        "io.closedloop.ops..", "io.closedloop.runtime..", "io.closedloop.cli..", "io.closedloop.sandbox.."));
    }

    @Test
    void flowsNeverImportRuntimeOrTheCommandLine() {
        check(noClasses().that().resideInAPackage("io.closedloop.flow..")
                .should().dependOnClassesThat().resideInAnyPackage("io.closedloop.runtime..", "io.closedloop.cli..",
                        "io.closedloop.sandbox.."));
    }

    @Test
    void noPackageCyclesOutsideTheSandbox() {
        // one slice per package (flow, flow.engagement and flow.feedback are each a slice)
        slices().matching("io.closedloop.(**)").should().beFreeOfCycles()
                .check(production.that(resideOutsideOfPackage("io.closedloop.sandbox..")));
    }

    @Test
    void noCyclesBetweenTopLevelPackages() {
        // the emulators' inner packages may lean on each other; as a whole the sandbox sits beside the daemon
        check(slices().matching("io.closedloop.(*)..").should().beFreeOfCycles());
    }

    @Test
    void productionNeverImportsTheSandbox() {
        // the CLI root registers the sandbox command; nothing else outside the sandbox refers to it
        check(noClasses().that().resideOutsideOfPackage("io.closedloop.sandbox..")
                .and().doNotHaveFullyQualifiedName("io.closedloop.Closedloop")
                .should().dependOnClassesThat().resideInAPackage("io.closedloop.sandbox.."));
    }

    @Test
    void theRulesSeeADependencyWhenThereIsOne() {
        // guards the rules themselves: the CLI root does refer to the sandbox, and flows do use the adapters
        EvaluationResult root = noClasses().that().haveFullyQualifiedName("io.closedloop.Closedloop")
                .should().dependOnClassesThat().resideInAPackage("io.closedloop.sandbox..").evaluate(production);
        EvaluationResult flows = noClasses().that().resideInAPackage("io.closedloop.flow..")
                .should().dependOnClassesThat().resideInAPackage("io.closedloop.salesforce..").evaluate(production);
        assertThat(root.hasViolation()).isTrue();
        assertThat(flows.hasViolation()).isTrue();
    }

    private static void check(ArchRule rule) {
        rule.check(production);
    }
}
