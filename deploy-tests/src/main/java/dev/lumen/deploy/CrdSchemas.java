package dev.lumen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Schemas of the custom resources Lumen deploys (Strimzi, KEDA), from
 * {@code src/main/resources/crd-schemas/} (see the README there for their source).
 */
public final class CrdSchemas {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
    private static final Map<String, Optional<JsonSchema>> CACHE = new ConcurrentHashMap<>();

    private CrdSchemas() {
    }

    /** The schema for {@code apiVersion} and {@code kind}, if one is shipped. */
    public static Optional<JsonSchema> schema(String apiVersion, String kind) {
        String file = "/crd-schemas/" + apiVersion.replace('/', '_') + "_" + kind + ".json";
        return CACHE.computeIfAbsent(file, CrdSchemas::load);
    }

    private static Optional<JsonSchema> load(String file) {
        try (InputStream in = CrdSchemas.class.getResourceAsStream(file)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(FACTORY.getSchema(YamlDocs.JSON.readTree(in)));
        } catch (IOException e) {
            throw new UncheckedIOException(file, e);
        }
    }

    /** Validation messages of {@code node} against {@code schema}, each with its JSON path. */
    public static List<String> validate(JsonSchema schema, JsonNode node) {
        return schema.validate(node).stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
