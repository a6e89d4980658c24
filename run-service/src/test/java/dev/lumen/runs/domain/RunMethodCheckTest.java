package dev.lumen.runs.domain;

import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.catalogue.Task;
import dev.lumen.service.rest.Problem;
import dev.lumen.service.rest.ProblemException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Run methods and parameters are checked against the catalogue and the model's labels. */
class RunMethodCheckTest {

    private static final List<String> LABELS = List.of("cat", "dog", "7");

    @Test
    void anUnknownMethodIsABadMethodField() {
        assertThat(problem(() -> RunMethodCheck.method("telepathy")))
                .satisfies(p -> assertThat(p.errors()).extracting(Problem.FieldProblem::field).containsExactly("method"))
                .satisfies(p -> assertThat(p.detail()).contains("telepathy", "gradcam", "drise"));
    }

    @Test
    void aMethodThatDoesNotExplainTheTaskIsMethodNotAllowed() {
        Problem problem = problem(() -> RunMethodCheck.parameters(MethodCatalogue.RISE, Task.DETECTION, Map.of(),
                "det", List.of()));

        assertThat(problem.status()).isEqualTo(422);
        assertThat(problem.type()).endsWith("/method-not-allowed");
        assertThat(problem.detail()).contains("drise");
    }

    @Test
    void aBadParameterIsAValidationProblemOnItsField() {
        Problem problem = problem(() -> RunMethodCheck.parameters(MethodCatalogue.DRISE, Task.DETECTION,
                Map.of("masks", -3), "det", List.of()));

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.type()).endsWith("/validation");
        assertThat(problem.errors()).extracting(Problem.FieldProblem::field).containsExactly("parameters.masks");
        assertThat(problem.detail()).contains("masks", "1..100000");
    }

    @Test
    void aClassIsALabelNameOrAnIndexIntoTheLabels() {
        for (Object choice : List.of("dog", 1, "1", "7", 2)) {
            RunMethodCheck.parameters(MethodCatalogue.GRADCAM, Task.CLASSIFICATION, Map.of("class", choice), "m", LABELS);
        }
        for (Object choice : List.of("zebra", 3, "3", "Dog")) {
            Problem problem = problem(() -> RunMethodCheck.parameters(MethodCatalogue.GRADCAM, Task.CLASSIFICATION,
                    Map.of("class", choice), "m", LABELS));
            assertThat(problem.errors()).as(choice.toString()).extracting(Problem.FieldProblem::field)
                    .containsExactly("parameters.class");
            assertThat(problem.detail()).as(choice.toString()).contains("model 'm'", "cat, dog, 7", "0..2");
        }
    }

    @Test
    void withoutLabelsInTheDescriptorAnyWellFormedClassPasses() {
        RunMethodCheck.parameters(MethodCatalogue.RISE, Task.CLASSIFICATION, Map.of("class", "zebra"), "m", List.of());
        RunMethodCheck.parameters(MethodCatalogue.RISE, Task.CLASSIFICATION, Map.of("class", 999), "m", List.of());
    }

    private static Problem problem(Runnable check) {
        try {
            check.run();
        } catch (ProblemException e) {
            return e.toProblem("/api/runs");
        }
        throw new AssertionError("the check passed; a problem was expected");
    }
}
