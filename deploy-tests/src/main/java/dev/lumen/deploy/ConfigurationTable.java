package dev.lumen.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's "## Configuration" table (key, env var, default, meaning) and its comparison with the
 * configuration the code reads ({@link ConfigSources}).
 */
public final class ConfigurationTable {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private ConfigurationTable() {
    }

    /**
     * One row of the table.
     *
     * @param key          the configuration key
     * @param envVars      the environment variables of the env var column
     * @param defaultValue the default column as written
     */
    public record Row(String key, Set<String> envVars, String defaultValue) {
    }

    /** The rows of the first table in the README's {@code ## Configuration} section, by key. */
    public static Map<String, Row> parse(String readme) {
        int start = readme.indexOf("\n## Configuration");
        if (start < 0) {
            throw new IllegalArgumentException("README has no '## Configuration' section");
        }
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Map<String, Row> rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : section.split("\\R")) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("|")) {
                if (inTable) {
                    break;
                }
                continue;
            }
            inTable = true;
            String[] cells = trimmed.substring(1, trimmed.endsWith("|") ? trimmed.length() - 1 : trimmed.length())
                    .split("\\|", -1);
            if (cells.length < 4 || cells[0].strip().equals("key") || cells[0].strip().startsWith("---")) {
                continue;
            }
            List<String> keys = codeSpans(cells[0]);
            if (keys.size() != 1) {
                throw new IllegalArgumentException("Configuration row without exactly one `key`: " + trimmed);
            }
            Row row = new Row(keys.get(0), new LinkedHashSet<>(codeSpans(cells[1])), cells[2].strip());
            if (rows.put(row.key(), row) != null) {
                throw new IllegalArgumentException("Configuration table lists " + row.key() + " twice");
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("README's Configuration section has no table rows");
        }
        return rows;
    }

    private static List<String> codeSpans(String cell) {
        List<String> spans = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            spans.add(m.group(1).strip());
        }
        return spans;
    }

    /**
     * What the code reads that the table gets wrong or lacks, and what the table lists that the code does
     * not read; empty when they agree.
     *
     * @param rows     the table ({@link #parse})
     * @param envRefs  every {@code ${ENV:default}} of the services' application.properties
     * @param mappings every {@code @ConfigMapping} property
     */
    public static List<String> compare(Map<String, Row> rows, List<ConfigSources.EnvReference> envRefs,
                                       List<ConfigSources.MappingProperty> mappings) {
        // Expected per key: its env vars (those application.properties names, else SmallRye's own name)
        // and the literal defaults (application.properties wins over @WithDefault, as at run time).
        Map<String, Set<String>> envs = new LinkedHashMap<>();
        Map<String, Set<String>> defaults = new LinkedHashMap<>();
        for (ConfigSources.EnvReference ref : envRefs) {
            envs.computeIfAbsent(ref.key(), k -> new TreeSet<>()).add(ref.envVar());
            if (ref.defaultValue() != null && !ref.defaultValue().contains("${")) {
                defaults.computeIfAbsent(ref.key(), k -> new TreeSet<>()).add(ref.defaultValue());
            }
        }
        for (ConfigSources.MappingProperty m : mappings) {
            if (!envs.containsKey(m.key())) {
                envs.put(m.key(), new TreeSet<>(Set.of(ConfigSources.envName(m.key()))));
                if (m.defaultValue() != null && !m.defaultValue().contains("${")) {
                    defaults.computeIfAbsent(m.key(), k -> new TreeSet<>()).add(m.defaultValue());
                }
            }
        }
        List<String> problems = new ArrayList<>();
        envs.forEach((key, expected) -> {
            Row row = rows.get(key);
            if (row == null) {
                problems.add("README Configuration table lacks `" + key + "` (env " + String.join(", ", expected) + ")");
                return;
            }
            if (!new TreeSet<>(row.envVars()).equals(expected)) {
                problems.add("README Configuration row `" + key + "` lists env " + row.envVars() + ", the code reads " + expected);
            }
            for (String value : defaults.getOrDefault(key, Set.of())) {
                if (!row.defaultValue().contains(value)) {
                    problems.add("README Configuration row `" + key + "` gives default '" + row.defaultValue()
                            + "', the code's default is '" + value + "'");
                }
            }
        });
        rows.keySet().stream().filter(key -> !envs.containsKey(key))
                .forEach(key -> problems.add("README Configuration row `" + key + "` is read by no service"
                        + " (no @ConfigMapping property and no ${ENV} in an application.properties)"));
        return problems;
    }
}
