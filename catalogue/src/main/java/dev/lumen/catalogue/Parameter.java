package dev.lumen.catalogue;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One typed parameter a method takes: its name in requests, its type, its default, what it allows
 * and a one-line doc. The same parameter may stand in several methods with different defaults
 * ({@link #withDefault}).
 *
 * @param name the key in a run's {@code parameters}
 * @param type the value's type
 * @param defaultValue the value used when the request gives none; null when the default is decided
 *     at run time (then {@link #defaultDoc} says how)
 * @param range allowed values of a number, or null
 * @param choices allowed words of a {@link ParameterType#CHOICE}; empty otherwise
 * @param tasks the tasks the parameter applies to; empty means every task the method explains
 * @param doc one line: what the parameter does
 * @param defaultDoc how the default is found when {@code defaultValue} is null, or null
 */
public record Parameter(String name, ParameterType type, Object defaultValue, Range range, List<String> choices,
        Set<Task> tasks, String doc, String defaultDoc) {

    /** Longest text a string parameter takes. */
    public static final int MAX_STRING_LENGTH = 200;

    /** Copies the lists. */
    public Parameter {
        choices = List.copyOf(choices);
        tasks = Set.copyOf(tasks);
    }

    /** A whole-number parameter in {@code min..max}. */
    public static Parameter integer(String name, int defaultValue, int min, int max, String doc) {
        return new Parameter(name, ParameterType.INTEGER, defaultValue, Range.closed(min, max), List.of(), Set.of(), doc,
                null);
    }

    /** A number parameter in {@code range}. */
    public static Parameter number(String name, double defaultValue, Range range, String doc) {
        return new Parameter(name, ParameterType.NUMBER, defaultValue, range, List.of(), Set.of(), doc, null);
    }

    /** A yes/no parameter. */
    public static Parameter bool(String name, boolean defaultValue, String doc) {
        return new Parameter(name, ParameterType.BOOLEAN, defaultValue, null, List.of(), Set.of(), doc, null);
    }

    /** A text parameter whose default is decided at run time. */
    public static Parameter string(String name, String doc, String defaultDoc) {
        return new Parameter(name, ParameterType.STRING, null, null, List.of(), Set.of(), doc, defaultDoc);
    }

    /** A label of the model, by name or index, whose default is decided at run time. */
    public static Parameter label(String name, String doc, String defaultDoc) {
        return new Parameter(name, ParameterType.LABEL, null, null, List.of(), Set.of(), doc, defaultDoc);
    }

    /** One of {@code choices}, whose default is decided at run time. */
    public static Parameter choice(String name, List<String> choices, String doc, String defaultDoc) {
        return new Parameter(name, ParameterType.CHOICE, null, null, choices, Set.of(), doc, defaultDoc);
    }

    /** The same parameter with another default (methods that share a parameter may differ in it). */
    public Parameter withDefault(Object value) {
        return new Parameter(name, type, parse(value), range, choices, tasks, doc, defaultDoc);
    }

    /** The same parameter, taken only for models of {@code only}. */
    public Parameter onlyFor(Set<Task> only) {
        return new Parameter(name, type, defaultValue, range, choices, only, doc, defaultDoc);
    }

    /** Whether the parameter applies to a model of {@code task}. */
    public boolean appliesTo(Task task) {
        return tasks.isEmpty() || tasks.contains(task);
    }

    /** What the parameter allows, in words: {@code an integer in 2..256}, {@code orthogonal or independent}. */
    public String allowed() {
        return switch (type) {
            case INTEGER -> "an integer in " + range;
            case NUMBER -> "a number in " + range;
            case BOOLEAN -> "true or false";
            case STRING -> "a string of at most " + MAX_STRING_LENGTH + " characters";
            case CHOICE -> String.join(" or ", choices);
            case LABEL -> "a label of the model (its name or index)";
        };
    }

    /**
     * The typed value of {@code raw}: an Integer, Double, Boolean or String, or for a label an Integer
     * index or a String (a name, or digits: the model's labels decide which). Strings holding a number or a boolean are read as such, so values
     * typed on a command line work like JSON values.
     *
     * @throws InvalidParameterException naming this parameter and what it allows
     */
    public Object parse(Object raw) {
        return switch (type) {
            case INTEGER -> inRange(integerOf(raw), raw);
            case NUMBER -> inRange(numberOf(raw), raw);
            case BOOLEAN -> booleanOf(raw);
            case STRING -> stringOf(raw);
            case CHOICE -> choiceOf(raw);
            case LABEL -> labelOf(raw);
        };
    }

    private Integer integerOf(Object raw) {
        if (raw instanceof Number n) {
            double value = n.doubleValue();
            if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
                throw invalid(raw);
            }
            return (int) value;
        }
        if (raw instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw invalid(raw);
            }
        }
        throw invalid(raw);
    }

    private Double numberOf(Object raw) {
        double value;
        if (raw instanceof Number n) {
            value = n.doubleValue();
        } else if (raw instanceof String s) {
            try {
                value = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw invalid(raw);
            }
        } else {
            throw invalid(raw);
        }
        if (!Double.isFinite(value)) {
            throw invalid(raw);
        }
        return value;
    }

    private <T extends Number> T inRange(T value, Object raw) {
        if (!range.contains(value.doubleValue())) {
            throw new InvalidParameterException(name, "parameter " + name + " must be in " + range + ", got " + shown(raw));
        }
        return value;
    }

    private Boolean booleanOf(Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        String text = raw instanceof String s ? s.trim().toLowerCase(Locale.ROOT) : "";
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw invalid(raw);
    }

    private String stringOf(Object raw) {
        if (!(raw instanceof String s) || s.isBlank() || s.length() > MAX_STRING_LENGTH) {
            throw invalid(raw);
        }
        return s.trim();
    }

    private String choiceOf(Object raw) {
        String text = raw instanceof String s ? s.trim().toLowerCase(Locale.ROOT) : "";
        if (!choices.contains(text)) {
            throw invalid(raw);
        }
        return text;
    }

    private Object labelOf(Object raw) {
        if (raw instanceof Number) {
            Integer index = integerOf(raw);
            if (index < 0) {
                throw invalid(raw);
            }
            return index;
        }
        if (raw instanceof String s && !s.isBlank() && s.length() <= MAX_STRING_LENGTH) {
            return s.trim();
        }
        throw invalid(raw);
    }

    /** A value of the wrong type; a number out of range is reported with its range by {@link #inRange}. */
    private InvalidParameterException invalid(Object raw) {
        String expected = switch (type) {
            case INTEGER -> "an integer";
            case NUMBER -> "a number";
            default -> allowed();
        };
        return new InvalidParameterException(name, "parameter " + name + " must be " + expected + ", got " + shown(raw));
    }

    private static String shown(Object raw) {
        return raw instanceof String s ? "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\""
                : String.valueOf(raw);
    }
}
