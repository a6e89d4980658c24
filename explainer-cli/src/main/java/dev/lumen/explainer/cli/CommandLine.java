package dev.lumen.explainer.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed command line: {@code --name value} options, {@code --flag} switches and positional
 * arguments, checked against the options a command accepts.
 */
final class CommandLine {

    private final Map<String, String> options = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    private CommandLine() {
    }

    /**
     * Parses {@code args}.
     *
     * @param valued options that take a value
     * @param flags options that take none
     * @throws UsageException on unknown options or a missing value
     */
    static CommandLine parse(List<String> args, Set<String> valued, Set<String> flags) {
        CommandLine line = new CommandLine();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                line.positional.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("--")) {
                line.positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String inlineValue = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                inlineValue = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (flags.contains(name) && inlineValue == null) {
                line.options.put(name, "true");
            } else if (valued.contains(name)) {
                String value = inlineValue;
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("option --" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                line.options.put(name, value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return line;
    }

    String option(String name) {
        return options.get(name);
    }

    String required(String name) {
        String value = options.get(name);
        if (value == null) {
            throw new UsageException("option --" + name + " is required");
        }
        return value;
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    Long longOption(String name) {
        String value = options.get(name);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + " must be an integer, got '" + value + "'");
        }
    }

    List<String> positional() {
        return positional;
    }
}
