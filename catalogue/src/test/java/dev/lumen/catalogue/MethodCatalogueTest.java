package dev.lumen.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MethodCatalogueTest {

    @Test
    void idsAreUniqueAndEveryTaskHasAMethod() {
        assertThat(MethodCatalogue.methods()).extracting(Method::id).doesNotHaveDuplicates();
        for (Task task : Task.values()) {
            assertThat(MethodCatalogue.methodsFor(task)).as(task.id()).isNotEmpty();
            MethodCatalogue.fallback(task).ifPresent(m -> assertThat(m.family()).isEqualTo(Family.PERTURBATION));
        }
    }

    @Test
    void defaultsDifferPerMethod() {
        assertThat(Parameters.defaults(MethodCatalogue.DRISE, Task.DETECTION).integer(MethodCatalogue.MASKS)).isEqualTo(5000);
        assertThat(Parameters.defaults(MethodCatalogue.RISE, Task.CLASSIFICATION).integer(MethodCatalogue.MASKS))
                .isEqualTo(2000);
        assertThat(Parameters.defaults(MethodCatalogue.GRADCAM, Task.CLASSIFICATION).integer(MethodCatalogue.METRIC_STEPS))
                .isEqualTo(16);
    }

    @Test
    void valuesAreTypedAndStringsFromACommandLineRead() {
        Parameters values = MethodCatalogue.check("drise", Task.DETECTION,
                Map.of("masks", "300", "p", 0.5, "earlyStop", "false", "sampling", "Independent", "class", 3));
        assertThat(values.integer(MethodCatalogue.MASKS)).isEqualTo(300);
        assertThat(values.bool(MethodCatalogue.EARLY_STOP)).isFalse();
        assertThat(values.string(MethodCatalogue.SAMPLING)).isEqualTo("independent");
        assertThat(values.value(MethodCatalogue.CLASS)).isEqualTo(3);
    }

    @Test
    void badValuesNameTheParameterAndTheRange() {
        assertRefused("drise", Task.DETECTION, Map.of("masks", -3), "masks", "1..100000");
        assertRefused("drise", Task.DETECTION, Map.of("masks", 2.5), "masks", "must be an integer, got 2.5");
        assertRefused("gradcam", Task.CLASSIFICATION, Map.of("metricSteps", 100_000), "metricSteps", "2..256");
        assertRefused("rise", Task.CLASSIFICATION, Map.of("p", 1), "p", "must be in (0, 1), got 1");
        assertRefused("rise", Task.CLASSIFICATION, Map.of("stopCorrelation", 0), "stopCorrelation", "must be in (0, 1]");
        assertRefused("rise", Task.CLASSIFICATION, Map.of("stopCorrelation", "NaN"), "stopCorrelation", "must be a number, got \"NaN\"");
        assertRefused("gradcam", Task.CLASSIFICATION, Map.of("metrics", "yes"), "metrics", "true or false");
        assertRefused("gradcam", Task.CLASSIFICATION, Map.of("targetLayer", 7), "targetLayer", "string");
        assertRefused("rise", Task.CLASSIFICATION, Map.of("sampling", "sobol"), "sampling", "orthogonal or independent");
        assertRefused("rise", Task.CLASSIFICATION, Map.of("sampling", "orthogonal", "p", 0.3), "sampling", "p = 0.5");
    }

    @Test
    void unknownParametersAndOnesOfOtherMethodsOrTasksAreRefused() {
        assertRefused("gradcam", Task.CLASSIFICATION, Map.of("nosuch", 1), "nosuch", "unknown parameter nosuch");
        assertRefused("gradcam", Task.CLASSIFICATION, Map.of("masks", 100), "masks", "taken by rise, drise");
        assertRefused("gradcam", Task.CLASSIFICATION, Map.of("cropMargin", 0.1), "cropMargin", "attributes models only");
        assertThatThrownBy(() -> MethodCatalogue.check("odam", Task.CLASSIFICATION, Map.of()))
                .hasMessageStartingWith("method odam does not explain task classification; use ");
        assertThatThrownBy(() -> MethodCatalogue.check("nosuch", Task.DETECTION, Map.of()))
                .hasMessageContaining("allowed: gradcam");
    }

    @Test
    void nullValuesMeanDefaultAndTheFallbackKeepsWhatItTakes() {
        Map<String, Object> raw = new HashMap<>();
        raw.put("targetLayer", "conv");
        raw.put("metricSteps", 8);
        raw.put("class", null);
        Parameters gradcam = MethodCatalogue.check("hirescam", Task.MULTILABEL, raw);
        assertThat(gradcam.given()).containsOnlyKeys("targetLayer", "metricSteps");
        Parameters rise = gradcam.forMethod(MethodCatalogue.RISE);
        assertThat(rise.given()).containsOnlyKeys("metricSteps");
        assertThat(rise.integer(MethodCatalogue.METRIC_STEPS)).isEqualTo(8);
        assertThat(rise.integer(MethodCatalogue.GRID)).isEqualTo(7);
    }

    private static void assertRefused(String method, Task task, Map<String, ?> raw, String parameter, String text) {
        assertThatThrownBy(() -> MethodCatalogue.check(method, task, raw))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo(parameter))
                .hasMessageContaining(text);
    }
}
