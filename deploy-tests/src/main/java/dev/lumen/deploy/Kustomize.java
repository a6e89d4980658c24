package dev.lumen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the subset Lumen's manifests use,
 * so the overlays can be validated without the kustomize binary or a cluster.
 *
 * <p>Supported: {@code resources} (files and directories holding a kustomization), {@code patches}
 * (from {@code path} or inline {@code patch}, JSON 6902 or strategic merge, with an optional
 * {@code target} of group, version, kind, name and namespace), {@code namespace}, {@code images}
 * (newName, newTag, digest), {@code labels} (without selectors), {@code configMapGenerator} and
 * {@code secretGenerator} (envs, literals and files, with {@code disableNameSuffixHash: true} and optional
 * {@code generatorOptions.labels}). Anything else
 * fails loudly instead of being ignored, and so does a patch that matches no object (kustomize only
 * fails for untargeted ones): a typo in a target must not pass silently.
 */
public final class Kustomize {

    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "namespace", "resources", "patches",
            "images", "labels", "configMapGenerator", "secretGenerator", "generatorOptions");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass", "IngressClass", "PriorityClass",
            "RuntimeClass", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService");
    private static final List<String> FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    private Kustomize() {
    }

    /** Renders the kustomization in {@code dir} with everything it includes. */
    public static List<Resource> render(Path dir) {
        Path file = FILE_NAMES.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new KustomizeException(dir + ": no kustomization.yaml"));
        JsonNode k = YamlDocs.readOne(file);
        String where = file.toString();
        for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new KustomizeException(where + ": field '" + field + "' is not supported by this renderer"
                        + ("commonLabels".equals(field) ? " (use labels with includeSelectors: false)" : ""));
            }
        }
        if (k.has("kind") && !"Kustomization".equals(k.get("kind").asText())) {
            throw new KustomizeException(where + ": kind must be Kustomization");
        }

        List<Resource> out = new ArrayList<>();
        for (JsonNode entry : k.path("resources")) {
            Path path = dir.resolve(entry.asText()).normalize();
            if (Files.isDirectory(path)) {
                out.addAll(render(path));
            } else if (Files.isRegularFile(path)) {
                for (JsonNode doc : YamlDocs.readAll(path)) {
                    if (!doc.isObject()) {
                        throw new KustomizeException(path + ": a manifest must be an object, found " + doc.getNodeType());
                    }
                    out.add(new Resource((ObjectNode) doc, path.toString()));
                }
            } else {
                throw new KustomizeException(where + ": resource " + entry.asText() + " does not exist");
            }
        }
        JsonNode options = k.path("generatorOptions");
        for (JsonNode gen : k.path("configMapGenerator")) {
            out.add(generate(dir, where, gen, options, false));
        }
        for (JsonNode gen : k.path("secretGenerator")) {
            out.add(generate(dir, where, gen, options, true));
        }
        // kustomize's order: patches, then namespace, labels and images.
        for (JsonNode patch : k.path("patches")) {
            applyPatch(dir, where, patch, out);
        }
        if (k.hasNonNull("namespace")) {
            String ns = k.get("namespace").asText();
            out.stream().filter(r -> !CLUSTER_SCOPED.contains(r.kind()))
                    .forEach(r -> metadata(r.body()).put("namespace", ns));
        }
        for (JsonNode labels : k.path("labels")) {
            applyLabels(where, labels, out);
        }
        for (JsonNode image : k.path("images")) {
            applyImage(where, image, out);
        }
        Set<String> ids = new HashSet<>();
        for (Resource r : out) {
            if (!ids.add(r.id())) {
                throw new KustomizeException(where + ": " + r.ref() + " is declared twice (last in " + r.origin() + ")");
            }
        }
        return out;
    }

    private static ObjectNode metadata(ObjectNode body) {
        JsonNode meta = body.get("metadata");
        if (meta == null || !meta.isObject()) {
            return body.putObject("metadata");
        }
        return (ObjectNode) meta;
    }

    private static Resource generate(Path dir, String where, JsonNode gen, JsonNode options, boolean secret) {
        String kind = secret ? "Secret" : "ConfigMap";
        String name = gen.path("name").asText("");
        if (name.isEmpty()) {
            throw new KustomizeException(where + ": " + kind + " generator without name");
        }
        for (Iterator<String> it = gen.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!Set.of("name", "envs", "literals", "files", "type").contains(field)) {
                throw new KustomizeException(where + ": generator field '" + field + "' is not supported");
            }
        }
        if (!options.path("disableNameSuffixHash").asBoolean(false)) {
            // A hash suffix needs every reference rewritten; Lumen's manifests use fixed names instead.
            throw new KustomizeException(where + ": generators need generatorOptions.disableNameSuffixHash: true here");
        }
        Map<String, String> data = new LinkedHashMap<>();
        for (JsonNode env : gen.path("envs")) {
            Path file = dir.resolve(env.asText());
            if (!Files.isRegularFile(file)) {
                throw new KustomizeException(where + ": env file " + file + " of " + kind + " " + name + " does not exist");
            }
            parseEnv(YamlDocs.read(file), file.toString(), data);
        }
        for (JsonNode literal : gen.path("literals")) {
            parseEnv(literal.asText(), where, data);
        }
        for (JsonNode entry : gen.path("files")) {
            // "key=path" or "path" (the key is then the file name), as kustomize reads them.
            String spec = entry.asText();
            int eq = spec.indexOf('=');
            String relative = eq < 0 ? spec : spec.substring(eq + 1);
            Path file = dir.resolve(relative).normalize();
            if (!file.startsWith(dir.normalize()) || !Files.isRegularFile(file)) {
                throw new KustomizeException(where + ": file " + relative + " of " + kind + " " + name
                        + " does not exist in or below the kustomization");
            }
            data.put(eq < 0 ? file.getFileName().toString() : spec.substring(0, eq), YamlDocs.read(file));
        }
        ObjectNode body = YamlDocs.JSON.createObjectNode();
        body.put("apiVersion", "v1");
        body.put("kind", kind);
        ObjectNode meta = body.putObject("metadata").put("name", name);
        if (options.path("labels").isObject()) {
            ObjectNode labels = meta.putObject("labels");
            options.get("labels").properties().forEach(label -> labels.put(label.getKey(), label.getValue().asText()));
        }
        if (secret) {
            body.put("type", gen.path("type").asText("Opaque"));
        }
        ObjectNode values = body.putObject("data");
        data.forEach((key, value) -> values.put(key, secret
                ? Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) : value));
        return new Resource(body, kind.toLowerCase() + "Generator " + name + " (" + where + ")");
    }

    private static void parseEnv(String text, String origin, Map<String, String> into) {
        for (String line : text.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw new KustomizeException(origin + ": not KEY=VALUE: " + trimmed);
            }
            into.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
        }
    }

    private static void applyPatch(Path dir, String where, JsonNode entry, List<Resource> resources) {
        String text;
        String origin;
        if (entry.hasNonNull("path")) {
            Path file = dir.resolve(entry.get("path").asText());
            if (!Files.isRegularFile(file)) {
                throw new KustomizeException(where + ": patch file " + file + " does not exist");
            }
            text = YamlDocs.read(file);
            origin = file.toString();
        } else if (entry.hasNonNull("patch")) {
            text = entry.get("patch").asText();
            origin = where + " (inline patch)";
        } else {
            throw new KustomizeException(where + ": patch without path or patch");
        }
        for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!Set.of("path", "patch", "target").contains(field)) {
                throw new KustomizeException(where + ": patch field '" + field + "' is not supported");
            }
        }
        List<JsonNode> docs = YamlDocs.parseAll(text, origin);
        if (docs.size() != 1) {
            throw new KustomizeException(origin + ": a patch must be one YAML document");
        }
        JsonNode patch = docs.get(0);
        JsonNode target = entry.path("target");
        if (target.isMissingNode() && !patch.isObject()) {
            throw new KustomizeException(origin + ": a JSON 6902 patch needs a target");
        }
        List<Resource> matches = resources.stream()
                .filter(r -> target.isMissingNode() ? matchesPatchItself(r, patch) : matchesTarget(r, target, origin))
                .toList();
        if (matches.isEmpty()) {
            throw new KustomizeException(origin + ": patch matches no object (target "
                    + (target.isMissingNode() ? patch.path("kind").asText() + "/" + patch.path("metadata").path("name").asText()
                    : target.toString()) + ")");
        }
        for (Resource r : matches) {
            try {
                if (patch.isArray()) {
                    Patches.jsonPatch(r.body(), (ArrayNode) patch);
                } else if (patch.isObject()) {
                    ObjectNode smp = ((ObjectNode) patch).deepCopy();
                    // Identity fields select the object; they are not changed by the patch.
                    smp.remove("apiVersion");
                    smp.remove("kind");
                    if (smp.path("metadata").isObject()) {
                        ((ObjectNode) smp.get("metadata")).remove("name");
                        ((ObjectNode) smp.get("metadata")).remove("namespace");
                    }
                    Patches.strategicMerge(r.body(), smp, isBuiltin(r.group()));
                } else {
                    throw new KustomizeException(origin + ": a patch must be a list (JSON 6902) or an object");
                }
            } catch (KustomizeException e) {
                throw new KustomizeException(origin + " on " + r.ref() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Built-in API groups: the core group, groups without a dot, and *.k8s.io. */
    static boolean isBuiltin(String group) {
        return group.isEmpty() || !group.contains(".") || group.endsWith(".k8s.io");
    }

    private static boolean matchesPatchItself(Resource r, JsonNode patch) {
        Resource p = new Resource((ObjectNode) patch, "");
        return r.kind().equals(p.kind()) && r.name().equals(p.name())
                && (p.apiVersion().isEmpty() || r.group().equals(p.group()))
                && (p.namespace().isEmpty() || r.namespace().equals(p.namespace()));
    }

    private static boolean matchesTarget(Resource r, JsonNode target, String origin) {
        for (Iterator<String> it = target.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!Set.of("group", "version", "kind", "name", "namespace").contains(field)) {
                throw new KustomizeException(origin + ": target field '" + field + "' is not supported");
            }
        }
        // kustomize reads target values as anchored regular expressions.
        return matches(target, "group", r.group()) && matches(target, "version", r.version())
                && matches(target, "kind", r.kind()) && matches(target, "name", r.name())
                && matches(target, "namespace", r.namespace());
    }

    private static boolean matches(JsonNode target, String field, String value) {
        return !target.hasNonNull(field) || Pattern.compile(target.get(field).asText()).matcher(value).matches();
    }

    private static void applyLabels(String where, JsonNode entry, List<Resource> resources) {
        if (entry.path("includeSelectors").asBoolean(false)) {
            throw new KustomizeException(where + ": labels with includeSelectors: true are not supported");
        }
        for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!Set.of("pairs", "includeSelectors", "includeTemplates").contains(field)) {
                throw new KustomizeException(where + ": labels field '" + field + "' is not supported");
            }
        }
        boolean templates = entry.path("includeTemplates").asBoolean(false);
        for (Resource r : resources) {
            ObjectNode meta = metadata(r.body());
            addLabels(meta, entry.path("pairs"));
            JsonNode template = r.body().path("spec").path("template");
            if (templates && template.isObject() && isBuiltin(r.group())) {
                addLabels(metadata((ObjectNode) template), entry.path("pairs"));
            }
        }
    }

    private static void addLabels(ObjectNode meta, JsonNode pairs) {
        ObjectNode labels = meta.has("labels") ? (ObjectNode) meta.get("labels") : meta.putObject("labels");
        pairs.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    }

    private static void applyImage(String where, JsonNode entry, List<Resource> resources) {
        String name = entry.path("name").asText("");
        if (name.isEmpty()) {
            throw new KustomizeException(where + ": image entry without name");
        }
        int[] changed = {0};
        for (Resource r : resources) {
            forEachContainer(r.body(), container -> {
                String image = container.path("image").asText("");
                ImageRef ref = ImageRef.parse(image);
                if (ref.name().equals(name)) {
                    String newName = entry.path("newName").asText(ref.name());
                    String tag = entry.path("newTag").asText(ref.tag());
                    String digest = entry.path("digest").asText(ref.digest());
                    container.put("image", new ImageRef(newName, entry.has("digest") ? null : tag, digest).toString());
                    changed[0]++;
                }
            });
        }
        if (changed[0] == 0) {
            throw new KustomizeException(where + ": image " + name + " is used by no container");
        }
    }

    /** Calls {@code action} for every container and init container anywhere in the object. */
    static void forEachContainer(JsonNode node, java.util.function.Consumer<ObjectNode> action) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (("containers".equals(e.getKey()) || "initContainers".equals(e.getKey())) && e.getValue().isArray()) {
                    e.getValue().forEach(c -> {
                        if (c.isObject()) {
                            action.accept((ObjectNode) c);
                        }
                    });
                } else {
                    forEachContainer(e.getValue(), action);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> forEachContainer(child, action));
        }
    }

    /** An image reference split into name, tag and digest; a registry port is part of the name. */
    record ImageRef(String name, String tag, String digest) {

        static ImageRef parse(String image) {
            String rest = image;
            String digest = null;
            int at = rest.indexOf('@');
            if (at >= 0) {
                digest = rest.substring(at + 1);
                rest = rest.substring(0, at);
            }
            String tag = null;
            int colon = rest.lastIndexOf(':');
            if (colon > rest.lastIndexOf('/')) {
                tag = rest.substring(colon + 1);
                rest = rest.substring(0, colon);
            }
            return new ImageRef(rest, tag, digest);
        }

        @Override
        public String toString() {
            return name + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
        }
    }
}
