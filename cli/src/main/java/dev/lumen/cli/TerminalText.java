package dev.lumen.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Text from the services (run names, image ids, failure reasons, problem details) made safe for a
 * terminal. Anything a tenant typed may hold escape sequences that move the cursor, rewrite earlier
 * lines, set the window title or hide text; every control character (C0, DEL, C1) and every invisible
 * formatting character (bidirectional overrides, zero-width characters) is printed as a visible
 * escape ({@code \e}, {@code \n}, {@code \u202e}) instead.
 */
public final class TerminalText {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TerminalText() {
    }

    /** {@code text} on one line: every control and formatting character escaped, newlines too. */
    public static String safe(String text) {
        return escape(text, false);
    }

    /** {@code text} as lines: like {@link #safe} but newlines are kept. */
    public static String safeLines(String text) {
        return escape(text, true);
    }

    /**
     * {@code node} as indented JSON whose strings escape what {@link #safe} escapes; still valid JSON
     * that parses back to the same values.
     */
    public static String json(JsonNode node) {
        try {
            return JSON.writer(new TerminalEscapes()).withDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new CliException("cannot print JSON: " + e.getMessage(), e);
        }
    }

    /** Whether {@code c} must not reach a terminal as it is. */
    static boolean unsafe(int c) {
        return Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || c == '\u2028' || c == '\u2029';
    }

    private static String escape(String text, boolean keepNewlines) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c == '\n' && keepNewlines) {
                out.append('\n');
            } else if (!unsafe(c)) {
                out.appendCodePoint(c);
            } else {
                out.append(switch (c) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    case 0x1b -> "\\e";
                    default -> String.format(c <= 0xff ? "\\x%02x" : "\\u%04x", c);
                });
            }
        });
        return out.toString();
    }

    /** JSON string escapes for the characters {@link #unsafe} names (Jackson already escapes C0). */
    private static final class TerminalEscapes extends CharacterEscapes {
        private final int[] ascii = CharacterEscapes.standardAsciiEscapesForJSON();

        TerminalEscapes() {
            ascii[0x7f] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int c) {
            return unsafe(c) ? new SerializedString(String.format("\\u%04x", c)) : null;
        }
    }
}
