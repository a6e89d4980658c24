package dev.lumen.devstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of one launcher command: {@code --name value} options, {@code --flag} switches
 * and positional values. Unknown options are errors, so that a typo does not go unnoticed.
 */
final class Arguments {

    private final Map<String, String> options = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final List<String> positionals = new ArrayList<>();

    private Arguments() {
    }

    /**
     * @param valued   option names (with {@code --}) that take a value
     * @param switches option names that stand alone
     */
    static Arguments parse(List<String> args, Set<String> valued, Set<String> switches) {
        Arguments parsed = new Arguments();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (valued.contains(arg)) {
                if (i + 1 >= args.size()) {
                    throw new DevStackException(arg + " needs a value");
                }
                parsed.options.put(arg, args.get(++i));
            } else if (switches.contains(arg)) {
                parsed.flags.add(arg);
            } else if (arg.startsWith("--")) {
                throw new DevStackException("Unknown option " + arg);
            } else {
                parsed.positionals.add(arg);
            }
        }
        return parsed;
    }

    String value(String option, String fallback) {
        return options.getOrDefault(option, fallback);
    }

    String required(String option) {
        String value = options.get(option);
        if (value == null) {
            throw new DevStackException(option + " is required");
        }
        return value;
    }

    int port(String option, int fallback) {
        String value = options.get(option);
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new DevStackException(option + " needs a port number, not '" + value + "'");
        }
    }

    boolean has(String flag) {
        return flags.contains(flag) || options.containsKey(flag);
    }

    List<String> positionals() {
        return positionals;
    }

    /** {@code --data-dir}, by default {@code .lumen/devstack} under the working dir. */
    Path dataDir() {
        return Path.of(value("--data-dir", ".lumen/devstack")).toAbsolutePath().normalize();
    }

    /** {@code --env-file}, by default {@code devstack.env} in the data dir. */
    Path envFile() {
        String named = options.get("--env-file");
        return named == null ? dataDir().resolve(EnvFile.DEFAULT_NAME) : Path.of(named).toAbsolutePath().normalize();
    }
}
