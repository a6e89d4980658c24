package dev.lumen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One rendered Kubernetes object and where it came from (a manifest file or a generator), so that a
 * validation message can point at the file to fix.
 *
 * @param body   the object as it will be applied
 * @param origin the manifest file (relative to the kustomization that listed it) or generator
 */
public record Resource(ObjectNode body, String origin) {

    /** {@code apiVersion}, e.g. {@code apps/v1}. */
    public String apiVersion() {
        return body.path("apiVersion").asText("");
    }

    /** API group: the part of {@code apiVersion} before the slash, empty for the core group. */
    public String group() {
        String v = apiVersion();
        int slash = v.indexOf('/');
        return slash < 0 ? "" : v.substring(0, slash);
    }

    /** API version without the group, e.g. {@code v1}. */
    public String version() {
        String v = apiVersion();
        return v.substring(v.indexOf('/') + 1);
    }

    /** {@code kind}. */
    public String kind() {
        return body.path("kind").asText("");
    }

    /** {@code metadata.name}. */
    public String name() {
        return body.path("metadata").path("name").asText("");
    }

    /** {@code metadata.namespace}, empty when unset. */
    public String namespace() {
        return body.path("metadata").path("namespace").asText("");
    }

    /** {@code metadata.labels}, possibly missing. */
    public JsonNode labels() {
        return body.path("metadata").path("labels");
    }

    /** {@code Kind/name}, how messages name the object. */
    public String ref() {
        return kind() + "/" + name();
    }

    /** Identity of the object in a cluster: group, kind, namespace and name. */
    public String id() {
        return group() + "|" + kind() + "|" + namespace() + "|" + name();
    }

    @Override
    public String toString() {
        return ref() + " (" + origin + ")";
    }
}
