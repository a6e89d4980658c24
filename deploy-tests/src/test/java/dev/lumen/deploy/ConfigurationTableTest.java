package dev.lumen.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's Configuration table is exactly what the code reads. */
class ConfigurationTableTest {

    private static final Path REPO = Repo.root();

    private static List<ConfigSources.EnvReference> envRefs() {
        return ConfigSources.SERVICES.stream().flatMap(s -> ConfigSources.envReferences(REPO, s).stream()).toList();
    }

    private static List<String> compare(String readme) {
        return ConfigurationTable.compare(ConfigurationTable.parse(readme), envRefs(), ConfigSources.mappings(REPO));
    }

    private static String readme() {
        return YamlDocs.read(REPO.resolve("README.md"));
    }

    @Test
    void readmeTableMatchesTheCode() {
        assertThat(compare(readme())).isEmpty();
    }

    @Test
    void configMappingsAreReadFromTheSources() {
        Map<String, ConfigSources.MappingProperty> byKey = new java.util.HashMap<>();
        ConfigSources.mappings(REPO).forEach(m -> byKey.put(m.key(), m));

        assertThat(byKey.get("lumen.runs.max-image-count").defaultValue()).isEqualTo("10000");
        assertThat(byKey.get("lumen.runs.results-base-url").defaultValue()).isEqualTo("http://localhost:8082");
        assertThat(byKey.get("lumen.s3.endpoint").required()).isTrue();
        assertThat(byKey.get("lumen.s3.public-endpoint").optional()).isTrue();
        assertThat(byKey.get("lumen.worker.id").required()).isFalse();
        assertThat(byKey.get("lumen.s3.bucket").module()).isEqualTo("service-commons");
        assertThat(ConfigSources.envName("lumen.runs.max-image-count")).isEqualTo("LUMEN_RUNS_MAX_IMAGE_COUNT");
        assertThat(envRefs()).anySatisfy(r -> {
            assertThat(r.key()).isEqualTo("lumen.s3.public-endpoint");
            assertThat(r.envVar()).isEqualTo("S3_PUBLIC_ENDPOINT");
            assertThat(r.defaultValue()).isEqualTo("${lumen.s3.endpoint}");
        });
    }

    @Test
    void sourcesWithCommentsStringsAndAnnotationsParse() {
        List<ConfigSources.MappingProperty> parsed = ConfigSources.parseMappings("m", """
                /** Not a mapping: @ConfigMapping(prefix = "x.y") interface Fake { String no(); } */
                @ConfigMapping(prefix = "a.b")
                public interface Settings {
                    // String commented();
                    /** URL, with // inside the default. */
                    @WithDefault("http://h:1/p") String baseUrl();
                    @WithName("renamed") @WithDefault("2") int someCount();
                    java.util.Optional<String> maybeValue();
                    String requiredValue();
                }
                """);

        assertThat(parsed).containsExactly(
                new ConfigSources.MappingProperty("m", "a.b.base-url", "http://h:1/p", false),
                new ConfigSources.MappingProperty("m", "a.b.renamed", "2", false),
                new ConfigSources.MappingProperty("m", "a.b.maybe-value", null, true),
                new ConfigSources.MappingProperty("m", "a.b.required-value", null, false));
    }

    @Test
    void missingExtraAndWrongRowsFail() {
        String readme = readme();
        String row = readme.lines().filter(l -> l.startsWith("| `lumen.runs.max-image-count`")).findFirst().orElseThrow();

        // contains, not containsExactly: readmeTableMatchesTheCode alone reports a table that is out of date.
        assertThat(compare(readme.replace(row + "\n", ""))).contains(
                "README Configuration table lacks `lumen.runs.max-image-count` (env LUMEN_RUNS_MAX_IMAGE_COUNT)");
        assertThat(compare(readme.replace(row, row + "\n| `lumen.runs.retired` | `LUMEN_RUNS_RETIRED` | `1` | gone |")))
                .contains("README Configuration row `lumen.runs.retired` is read by no service"
                        + " (no @ConfigMapping property and no ${ENV} in an application.properties)");
        assertThat(compare(readme.replace(row, row.replace("`10000`", "`5000`")))).contains(
                "README Configuration row `lumen.runs.max-image-count` gives default '`5000`', the code's default is '10000'");
        assertThat(compare(readme.replace("| `S3_BUCKET` |", "| `S3_BUCKET_NAME` |"))).contains(
                "README Configuration row `lumen.s3.bucket` lists env [S3_BUCKET_NAME], the code reads [S3_BUCKET]");
    }
}
