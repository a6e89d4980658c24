package dev.lumen.tfjs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads TF.js models that npm packages ship as minified JavaScript modules (nsfwjs does): the
 * model's JSON as an object literal assigned to {@code exports}, each weight shard as a base64
 * string assigned to {@code exports}. Nothing is executed; the literal is rewritten into JSON.
 */
final class JsBundle {

    private static final Pattern OBJECT_EXPORT = Pattern.compile("exports\\s*=\\s*\\{");
    private static final Pattern STRING_EXPORT = Pattern.compile("exports\\s*=\\s*\"([A-Za-z0-9+/=\\s]*)\"");
    /** Minified literals use unquoted keys; Jackson accepts those once told to. */
    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
            .build();

    private JsBundle() {
    }

    /** The object literal a model module exports, as JSON. */
    static JsonNode exportedObject(String script, String fileName) {
        Matcher start = OBJECT_EXPORT.matcher(script);
        if (!start.find()) {
            throw new TfjsImportException(fileName + ": no 'exports={...}' object literal found");
        }
        int open = start.end() - 1;
        String json = toJson(script, open, fileName);
        try {
            return LENIENT.readTree(json);
        } catch (JsonProcessingException e) {
            throw new TfjsImportException(fileName + ": the exported object is not a plain data literal: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** The bytes of the base64 string a weight shard module exports. */
    static byte[] exportedBase64(String script, String fileName) {
        Matcher matcher = STRING_EXPORT.matcher(script);
        if (!matcher.find()) {
            throw new TfjsImportException(fileName + ": no 'exports=\"...\"' base64 string found");
        }
        try {
            return Base64.getMimeDecoder().decode(matcher.group(1));
        } catch (IllegalArgumentException e) {
            throw new TfjsImportException(fileName + ": the exported string is not base64: " + e.getMessage(), e);
        }
    }

    /**
     * Copies the literal that opens at {@code open} up to its matching brace, rewriting the two
     * minifier idioms JSON lacks: {@code !0}/{@code !1} for true/false and numbers without a
     * leading zero ({@code .5}, {@code -.5}). Strings are copied untouched.
     */
    private static String toJson(String script, int open, String fileName) {
        StringBuilder json = new StringBuilder();
        int depth = 0;
        for (int i = open; i < script.length(); i++) {
            char c = script.charAt(i);
            if (c == '"' || c == '\'') {
                i = copyString(script, i, json);
                continue;
            }
            if (c == '!' && i + 1 < script.length() && (script.charAt(i + 1) == '0' || script.charAt(i + 1) == '1')) {
                json.append(script.charAt(i + 1) == '0' ? "true" : "false");
                i++;
                continue;
            }
            if (c == '.' && i + 1 < script.length() && Character.isDigit(script.charAt(i + 1))
                    && !Character.isDigit(script.charAt(i - 1))) {
                json.append('0');
            }
            json.append(c);
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    return json.toString();
                }
            }
        }
        throw new TfjsImportException(fileName + ": the exported object literal is not closed");
    }

    /** Copies the string literal starting at {@code from} as a JSON string; returns its last index. */
    private static int copyString(String script, int from, StringBuilder json) {
        char quote = script.charAt(from);
        json.append('"');
        for (int i = from + 1; i < script.length(); i++) {
            char c = script.charAt(i);
            if (c == '\\') {
                json.append(c).append(script.charAt(i + 1));
                i++;
            } else if (c == quote) {
                json.append('"');
                return i;
            } else if (c == '"') {
                json.append("\\\"");
            } else {
                json.append(c);
            }
        }
        throw new TfjsImportException("unterminated string literal in a JavaScript model bundle");
    }
}
