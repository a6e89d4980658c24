package dev.lumen.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's method and parameter tables equal to the catalogue: the tables between the
 * {@code catalogue} markers are rendered from {@link MethodCatalogue} here, and on a mismatch the
 * failure shows the text to paste.
 */
class ReadmeTablesTest {

    private static final String BEGIN = "<!-- catalogue:begin (generated from MethodCatalogue; ReadmeTablesTest checks it) -->";
    private static final String END = "<!-- catalogue:end -->";

    @Test
    void theReadmeTablesAreTheCatalogue() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int from = readme.indexOf(BEGIN);
        int to = readme.indexOf(END);
        assertThat(from).as("README.md holds the line " + BEGIN).isNotNegative();
        assertThat(to).as("README.md holds the line " + END).isGreaterThan(from);
        String tables = readme.substring(from + BEGIN.length(), to).strip();
        assertThat(tables).as("README.md's catalogue tables; expected:%n%s%n", render()).isEqualTo(render());
    }

    static String render() {
        StringBuilder text = new StringBuilder();
        text.append("| Method | Family | Tasks | What it computes |\n|---|---|---|---|\n");
        for (Method method : MethodCatalogue.methods()) {
            text.append("| `").append(method.id()).append("` (").append(method.title()).append(") | ")
                    .append(method.family().id()).append(" | ")
                    .append(method.tasks().stream().sorted().map(Task::id).collect(Collectors.joining(", ")))
                    .append(" | ").append(method.doc()).append(" |\n");
        }
        text.append("\n| Parameter | Type | Allowed | Default | Methods | What it does |\n|---|---|---|---|---|---|\n");
        Map<String, List<Method>> byName = new LinkedHashMap<>();
        for (Method method : MethodCatalogue.methods()) {
            method.parameters().forEach(p -> byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(method));
        }
        byName.forEach((name, methods) -> {
            Parameter first = methods.get(0).parameter(name).orElseThrow();
            text.append("| `").append(name).append("` | ").append(first.type().id()).append(" | ")
                    .append(first.allowed()).append(" | ").append(defaults(name, methods)).append(" | ")
                    .append(methods.stream().map(Method::id).collect(Collectors.joining(", "))).append(" | ")
                    .append(first.doc())
                    .append(first.tasks().isEmpty() ? "" : " (" + first.tasks().stream().sorted().map(Task::id)
                            .collect(Collectors.joining(", ")) + " models only)")
                    .append(" |\n");
        });
        return text.toString().strip();
    }

    private static String defaults(String name, List<Method> methods) {
        List<Parameter> declared = methods.stream().map(m -> m.parameter(name).orElseThrow()).toList();
        if (declared.stream().map(Parameter::defaultValue).distinct().count() == 1) {
            Parameter first = declared.get(0);
            return first.defaultValue() == null ? first.defaultDoc() : String.valueOf(first.defaultValue());
        }
        return methods.stream().map(m -> m.id() + ": " + Objects.toString(m.parameter(name).orElseThrow().defaultValue()))
                .collect(Collectors.joining(", "));
    }
}
