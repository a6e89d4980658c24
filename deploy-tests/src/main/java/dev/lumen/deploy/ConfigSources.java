package dev.lumen.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the services read, taken from their sources rather than from a list kept by hand: the
 * {@code ${ENV:default}} references in each service's {@code application.properties} and the
 * properties of every {@code @ConfigMapping} interface (parsed from the Java sources: this module
 * must not depend on the services, whose builds bring TensorFlow).
 */
public final class ConfigSources {

    /** The deployable services, as named by their modules, compose services and Deployments. */
    public static final List<String> SERVICES = List.of("run-service", "worker-service", "results-service");

    /** The module whose mappings every service has (the S3 client). */
    static final String SHARED_MODULE = "service-commons";

    private static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Pattern CONFIG_MAPPING = Pattern.compile(
            "@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"\\s*\\)[^{]*?\\binterface\\s+(\\w+)[^{]*\\{");
    private static final Pattern MEMBER = Pattern.compile(
            "((?:@[\\w.]+(?:\\s*\\((?:[^()\"]|\"(?:[^\"\\\\]|\\\\.)*\")*\\))?\\s*)*)"
                    + "([\\w.]+(?:\\s*<[^;(){}]*>)?(?:\\[\\])?)\\s+(\\w+)\\s*\\(\\s*\\)\\s*;");
    private static final Pattern WITH_DEFAULT = Pattern.compile("@WithDefault\\s*\\(\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*\\)");
    private static final Pattern WITH_NAME = Pattern.compile("@WithName\\s*\\(\\s*\"([^\"]*)\"\\s*\\)");

    private ConfigSources() {
    }

    /**
     * One {@code ${ENV:default}} in a service's {@code application.properties}.
     *
     * @param service      the service module
     * @param key          the property set from the environment variable
     * @param envVar       the environment variable
     * @param defaultValue the default when the variable is unset; null when there is none
     */
    public record EnvReference(String service, String key, String envVar, String defaultValue) {
    }

    /**
     * One property of a {@code @ConfigMapping} interface.
     *
     * @param module       the module declaring it
     * @param key          the full key: prefix and the method name in kebab case (or its {@code @WithName})
     * @param defaultValue the {@code @WithDefault} value; null when there is none
     * @param optional     whether the method returns an {@code Optional}, so no value is needed
     */
    public record MappingProperty(String module, String key, String defaultValue, boolean optional) {

        /** Whether the service cannot start without a value for this key. */
        public boolean required() {
            return defaultValue == null && !optional;
        }
    }

    /** The properties of {@code service}'s {@code application.properties}, without profile-specific ones. */
    public static Map<String, String> properties(Path repo, String service) {
        Path file = repo.resolve(service).resolve("src/main/resources/application.properties");
        Properties props = new Properties();
        try {
            props.load(new StringReader(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
        Map<String, String> result = new LinkedHashMap<>();
        props.stringPropertyNames().stream().sorted().filter(k -> !k.startsWith("%"))
                .forEach(k -> result.put(k, props.getProperty(k)));
        return result;
    }

    /** Every environment variable reference in {@code service}'s {@code application.properties}. */
    public static List<EnvReference> envReferences(Path repo, String service) {
        List<EnvReference> refs = new ArrayList<>();
        properties(repo, service).forEach((key, value) -> collect(service, key, value, refs));
        return refs;
    }

    /** Parses {@code ${NAME:default}} expressions, nested ones included. */
    private static void collect(String service, String key, String value, List<EnvReference> into) {
        int i = 0;
        while ((i = value.indexOf("${", i)) >= 0) {
            int depth = 0;
            int end = -1;
            for (int j = i; j < value.length(); j++) {
                if (value.startsWith("${", j)) {
                    depth++;
                    j++;
                } else if (value.charAt(j) == '}' && --depth == 0) {
                    end = j;
                    break;
                }
            }
            if (end < 0) {
                throw new IllegalArgumentException(service + ": unbalanced expression in " + key + "=" + value);
            }
            String inner = value.substring(i + 2, end);
            int colon = topLevelColon(inner);
            String name = colon < 0 ? inner : inner.substring(0, colon);
            String defaultValue = colon < 0 ? null : inner.substring(colon + 1);
            if (ENV_NAME.matcher(name).matches()) {
                into.add(new EnvReference(service, key, name, defaultValue));
            }
            if (defaultValue != null) {
                collect(service, key, defaultValue, into);
            }
            i = end + 1;
        }
    }

    private static int topLevelColon(String s) {
        int depth = 0;
        for (int j = 0; j < s.length(); j++) {
            if (s.startsWith("${", j)) {
                depth++;
                j++;
            } else if (s.charAt(j) == '}') {
                depth--;
            } else if (s.charAt(j) == ':' && depth == 0) {
                return j;
            }
        }
        return -1;
    }

    /** Every {@code @ConfigMapping} property in every module's main sources. */
    public static List<MappingProperty> mappings(Path repo) {
        List<MappingProperty> result = new ArrayList<>();
        try (Stream<Path> modules = Files.list(repo)) {
            // This module's own sources quote @ConfigMapping in patterns and docs; they configure nothing.
            for (Path module : modules.filter(p -> Files.isDirectory(p.resolve("src/main/java")))
                    .filter(p -> !p.getFileName().toString().equals("deploy-tests")).sorted().toList()) {
                try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                        result.addAll(parseMappings(module.getFileName().toString(), Files.readString(file)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(repo.toString(), e);
        }
        return result;
    }

    /** The mapping properties {@code service} has: its own and the shared module's. */
    public static List<MappingProperty> mappingsOf(Path repo, String service) {
        return mappings(repo).stream()
                .filter(m -> m.module().equals(service) || m.module().equals(SHARED_MODULE)).toList();
    }

    /** The properties of the {@code @ConfigMapping} interfaces in one Java source. */
    static List<MappingProperty> parseMappings(String module, String source) {
        String code = stripComments(source);
        List<MappingProperty> result = new ArrayList<>();
        Matcher m = CONFIG_MAPPING.matcher(code);
        while (m.find()) {
            String prefix = m.group(1);
            String body = body(code, m.end() - 1);
            // Structure is judged without string contents: @WithDefault("default") is no default method.
            String structure = body.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
            if (structure.matches("(?s).*\\b(interface|class|record)\\s+\\w+.*")) {
                // Nested groups would need their own prefixes; refuse instead of listing wrong keys.
                throw new IllegalArgumentException(module + " " + m.group(2) + ": nested types in a @ConfigMapping are not parsed");
            }
            if (structure.matches("(?s).*\\bdefault\\b.*")) {
                throw new IllegalArgumentException(module + " " + m.group(2) + ": default methods in a @ConfigMapping are not parsed");
            }
            Matcher member = MEMBER.matcher(body);
            while (member.find()) {
                String annotations = member.group(1);
                String type = member.group(2);
                Matcher named = WITH_NAME.matcher(annotations);
                String name = named.find() ? named.group(1) : kebab(member.group(3));
                Matcher def = WITH_DEFAULT.matcher(annotations);
                result.add(new MappingProperty(module, prefix + "." + name, def.find() ? unescape(def.group(1)) : null,
                        type.startsWith("Optional") || type.startsWith("java.util.Optional")));
            }
        }
        return result;
    }

    private static String body(String code, int openBrace) {
        int depth = 0;
        for (int i = openBrace; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '"') {
                i = endOfString(code, i);
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return code.substring(openBrace + 1, i);
            }
        }
        throw new IllegalArgumentException("unbalanced braces in a @ConfigMapping interface");
    }

    private static int endOfString(String code, int quote) {
        for (int i = quote + 1; i < code.length(); i++) {
            if (code.charAt(i) == '\\') {
                i++;
            } else if (code.charAt(i) == '"') {
                return i;
            }
        }
        return code.length();
    }

    /** Removes comments but not string contents (a default such as "http://host" contains "//"). */
    static String stripComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '"') {
                int end = endOfString(source, i);
                out.append(source, i, Math.min(end + 1, source.length()));
                i = end;
            } else if (c == '\'' && i + 2 < source.length()) {
                int end = source.charAt(i + 1) == '\\' ? source.indexOf('\'', i + 3) : i + 2;
                out.append(source, i, end + 1);
                i = end;
            } else if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = (end < 0 ? source.length() : end) - 1;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = (end < 0 ? source.length() : end + 2) - 1;
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String unescape(String literal) {
        return literal.replace("\\\"", "\"").replace("\\\\", "\\");
    }

    /** {@code maxImageCount} to {@code max-image-count}, as SmallRye Config names mapping properties. */
    public static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** The environment variable SmallRye Config reads for {@code key}: non-alphanumerics to '_', upper case. */
    public static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /**
     * The environment variables a deployment of {@code service} must set: every variable its
     * {@code application.properties} reads, and the variable of every mapping property that has no
     * default and is not set in {@code application.properties}.
     */
    public static Set<String> requiredEnv(Path repo, String service) {
        Set<String> env = new LinkedHashSet<>();
        envReferences(repo, service).forEach(r -> env.add(r.envVar()));
        Map<String, String> props = properties(repo, service);
        mappingsOf(repo, service).stream().filter(MappingProperty::required).filter(m -> !props.containsKey(m.key()))
                .forEach(m -> env.add(envName(m.key())));
        return env;
    }
}
