package dev.lumen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The two patch kinds kustomize applies: JSON Patch (RFC 6902: add, remove, replace, test) and
 * strategic merge. Strategic merge is implemented for what Lumen's overlays patch: objects merge key
 * by key, {@code null} deletes, and lists of built-in kinds that Kubernetes declares with a merge key
 * (containers by name, env by name, ...) merge element by element; every other list is replaced, as
 * kustomize does for custom resources (JSON merge patch semantics).
 */
public final class Patches {

    /** Lists of built-in kinds that merge element-wise, with their merge key (from the Kubernetes API). */
    private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
            Map.entry("containers", "name"),
            Map.entry("initContainers", "name"),
            Map.entry("ephemeralContainers", "name"),
            Map.entry("env", "name"),
            Map.entry("volumes", "name"),
            Map.entry("volumeMounts", "mountPath"),
            Map.entry("volumeDevices", "devicePath"),
            Map.entry("imagePullSecrets", "name"),
            Map.entry("topologySpreadConstraints", "topologyKey"),
            Map.entry("hostAliases", "ip"));

    private Patches() {
    }

    /**
     * Applies a strategic-merge patch to {@code target} in place.
     *
     * @param builtin whether the target is a built-in kind (merge keys apply) or a custom resource
     */
    public static void strategicMerge(ObjectNode target, ObjectNode patch, boolean builtin) {
        mergeObject(target, patch, builtin, "");
    }

    private static void mergeObject(ObjectNode target, ObjectNode patch, boolean builtin, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            String here = path + "/" + name;
            if (name.startsWith("$")) {
                // $patch, $setElementOrder, $retainKeys: not needed by Lumen, so refused rather than ignored.
                throw new KustomizeException("strategic-merge directive " + name + " at " + here + " is not supported");
            }
            JsonNode existing = target.get(name);
            if (value.isNull()) {
                target.remove(name);
            } else if (value.isObject() && existing != null && existing.isObject()) {
                mergeObject((ObjectNode) existing, (ObjectNode) value, builtin, here);
            } else if (value.isArray() && builtin && existing != null && existing.isArray()
                    && mergeKey(name, (ArrayNode) value) != null) {
                target.set(name, mergeList((ArrayNode) existing, (ArrayNode) value, mergeKey(name, (ArrayNode) value),
                        builtin, here));
            } else {
                target.set(name, value.deepCopy());
            }
        }
    }

    private static String mergeKey(String field, ArrayNode patchList) {
        if ("ports".equals(field)) {
            // Container ports merge on containerPort, Service ports on port.
            for (JsonNode element : patchList) {
                if (element.has("containerPort")) {
                    return "containerPort";
                }
            }
            return "port";
        }
        return MERGE_KEYS.get(field);
    }

    /** Elements only in the patch come first (as kustomize orders them), then the merged originals. */
    private static ArrayNode mergeList(ArrayNode target, ArrayNode patch, String key, boolean builtin, String path) {
        List<JsonNode> added = new ArrayList<>();
        ArrayNode result = target.deepCopy();
        for (JsonNode element : patch) {
            if (!element.isObject() || !element.has(key)) {
                throw new KustomizeException("strategic-merge list " + path + ": element without merge key '" + key
                        + "': " + element);
            }
            JsonNode match = null;
            for (JsonNode candidate : result) {
                if (candidate.path(key).equals(element.get(key))) {
                    match = candidate;
                    break;
                }
            }
            if (match == null) {
                added.add(element.deepCopy());
            } else {
                mergeObject((ObjectNode) match, (ObjectNode) element, builtin, path + "[" + key + "=" + element.get(key) + "]");
            }
        }
        ArrayNode merged = YamlDocs.JSON.createArrayNode();
        added.forEach(merged::add);
        result.forEach(merged::add);
        return merged;
    }

    /** Applies JSON Patch operations to {@code target} in place. */
    public static void jsonPatch(ObjectNode target, ArrayNode operations) {
        for (JsonNode op : operations) {
            String kind = op.path("op").asText("");
            String path = op.path("path").asText(null);
            if (path == null) {
                throw new KustomizeException("JSON patch operation without path: " + op);
            }
            switch (kind) {
                case "add" -> add(target, path, required(op, "value"));
                case "replace" -> replace(target, path, required(op, "value"));
                case "remove" -> remove(target, path);
                case "test" -> {
                    JsonNode actual = resolve(target, path);
                    if (!required(op, "value").equals(actual)) {
                        throw new KustomizeException("JSON patch test failed at " + path + ": found " + actual);
                    }
                }
                default -> throw new KustomizeException("JSON patch operation '" + kind + "' is not supported");
            }
        }
    }

    private static JsonNode required(JsonNode op, String field) {
        if (!op.has(field)) {
            throw new KustomizeException("JSON patch operation without " + field + ": " + op);
        }
        return op.get(field).deepCopy();
    }

    private static List<String> tokens(String pointer) {
        if (!pointer.startsWith("/")) {
            throw new KustomizeException("JSON pointer must start with '/': " + pointer);
        }
        List<String> tokens = new ArrayList<>();
        for (String raw : pointer.substring(1).split("/", -1)) {
            tokens.add(raw.replace("~1", "/").replace("~0", "~"));
        }
        return tokens;
    }

    private static JsonNode resolve(JsonNode root, String pointer) {
        JsonNode node = root;
        for (String token : tokens(pointer)) {
            node = child(node, token, pointer);
        }
        return node;
    }

    private static JsonNode child(JsonNode node, String token, String pointer) {
        JsonNode next = node.isArray() ? node.get(index(token, node.size(), pointer, false)) : node.get(token);
        if (next == null) {
            throw new KustomizeException("JSON patch path " + pointer + " does not exist (at '" + token + "')");
        }
        return next;
    }

    private static int index(String token, int size, String pointer, boolean allowEnd) {
        if ("-".equals(token) && allowEnd) {
            return size;
        }
        try {
            int i = Integer.parseInt(token);
            if (i < 0 || i > size || (i == size && !allowEnd)) {
                throw new KustomizeException("JSON patch path " + pointer + ": index " + i + " out of range");
            }
            return i;
        } catch (NumberFormatException e) {
            throw new KustomizeException("JSON patch path " + pointer + ": '" + token + "' is not an array index");
        }
    }

    private static JsonNode parent(JsonNode root, List<String> tokens, String pointer) {
        JsonNode node = root;
        for (String token : tokens.subList(0, tokens.size() - 1)) {
            node = child(node, token, pointer);
        }
        return node;
    }

    private static void add(ObjectNode root, String pointer, JsonNode value) {
        List<String> tokens = tokens(pointer);
        JsonNode parent = parent(root, tokens, pointer);
        String last = tokens.get(tokens.size() - 1);
        if (parent.isArray()) {
            ((ArrayNode) parent).insert(index(last, parent.size(), pointer, true), value);
        } else if (parent.isObject()) {
            ((ObjectNode) parent).set(last, value);
        } else {
            throw new KustomizeException("JSON patch path " + pointer + ": parent is not a container");
        }
    }

    private static void replace(ObjectNode root, String pointer, JsonNode value) {
        List<String> tokens = tokens(pointer);
        JsonNode parent = parent(root, tokens, pointer);
        String last = tokens.get(tokens.size() - 1);
        child(parent, last, pointer);
        if (parent.isArray()) {
            ((ArrayNode) parent).set(index(last, parent.size(), pointer, false), value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
    }

    private static void remove(ObjectNode root, String pointer) {
        List<String> tokens = tokens(pointer);
        JsonNode parent = parent(root, tokens, pointer);
        String last = tokens.get(tokens.size() - 1);
        child(parent, last, pointer);
        if (parent.isArray()) {
            ((ArrayNode) parent).remove(index(last, parent.size(), pointer, false));
        } else {
            ((ObjectNode) parent).remove(last);
        }
    }
}
