package dev.lumen.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JSON Schemas (draft 2020-12) of Lumen's events, shipped on the classpath under
 * {@code schemas/}, and which event type conforms to which.
 *
 * <p>A schema is named by its {@code dataschema} URI, {@code lumen:schemas/<name>.vN.json}, which is
 * also its {@code $id}; the file is {@code schemas/<name>.vN.json} in this module's jar.
 */
public final class Schemas {

    /** URI of the CloudEvents envelope schema. */
    public static final String ENVELOPE_URI = "lumen:schemas/cloudevent.v1.json";

    private static final String URI_PREFIX = "lumen:schemas/";
    private static final String RESOURCE_DIR = "schemas/";

    private static final Map<String, String> SCHEMA_URI_BY_TYPE = orderedTypes();

    private Schemas() {
    }

    private static Map<String, String> orderedTypes() {
        Map<String, String> byType = new LinkedHashMap<>();
        byType.put(EventTypes.RUN_REQUESTED, URI_PREFIX + "run-requested.v1.json");
        byType.put(EventTypes.RUN_CANCELLED, URI_PREFIX + "run-cancelled.v1.json");
        byType.put(EventTypes.RUN_DELETED, URI_PREFIX + "run-deleted.v1.json");
        byType.put(EventTypes.IMAGE_TASK, URI_PREFIX + "image-task.v1.json");
        byType.put(EventTypes.IMAGE_RESULT, URI_PREFIX + "image-result.v1.json");
        byType.put(EventTypes.RUN_PROGRESS, URI_PREFIX + "run-progress.v1.json");
        byType.put(EventTypes.IMAGE_PREVIEW, URI_PREFIX + "image-preview.v1.json");
        byType.put(EventTypes.DEAD_LETTER, URI_PREFIX + "dead-letter.v1.json");
        return Collections.unmodifiableMap(byType);
    }

    /**
     * The {@code dataschema} URI of an event type, e.g. {@code lumen:schemas/run-requested.v1.json}.
     *
     * @throws IllegalArgumentException if the type is not one of {@link EventTypes}
     */
    public static String schemaUriFor(String type) {
        String uri = SCHEMA_URI_BY_TYPE.get(type);
        if (uri == null) {
            throw new IllegalArgumentException("unknown event type " + type + "; known: " + eventTypes());
        }
        return uri;
    }

    /** Whether {@code type} is an event type with a schema. */
    public static boolean isKnownType(String type) {
        return type != null && SCHEMA_URI_BY_TYPE.containsKey(type);
    }

    /** Every event type with a schema, in topic-flow order. */
    public static Set<String> eventTypes() {
        return SCHEMA_URI_BY_TYPE.keySet();
    }

    /**
     * The classpath resource of a schema URI, e.g. {@code schemas/run-requested.v1.json}.
     *
     * @throws IllegalArgumentException if the URI is not a Lumen schema URI
     */
    public static String resourcePathFor(String schemaUri) {
        if (schemaUri == null || !schemaUri.startsWith(URI_PREFIX)
                || schemaUri.length() == URI_PREFIX.length()) {
            throw new IllegalArgumentException("not a Lumen schema URI: " + schemaUri);
        }
        return RESOURCE_DIR + schemaUri.substring(URI_PREFIX.length());
    }

    /**
     * The text of a schema, e.g. to publish it next to an API.
     *
     * @throws IllegalArgumentException if no such schema ships with this module
     */
    public static String schemaJson(String schemaUri) {
        try (InputStream in = open(schemaUri)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + schemaUri, e);
        }
    }

    /** The compiled envelope schema; thread-safe. */
    static JsonSchema envelopeSchema() {
        return Compiled.ENVELOPE;
    }

    /** The compiled data schema of a known event type; thread-safe. */
    static JsonSchema dataSchemaFor(String type) {
        return Compiled.DATA_BY_TYPE.get(type);
    }

    private static InputStream open(String schemaUri) {
        String resource = resourcePathFor(schemaUri);
        // The module's own loader, not the context loader: in containers that isolate
        // applications the context loader may not see this jar's resources.
        InputStream in = Schemas.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalArgumentException("no schema " + schemaUri + " (resource " + resource + ")");
        }
        return in;
    }

    /**
     * Compiled schemas, built on first validation rather than when {@link CloudEvent#of} asks for
     * a URI; class initialisation makes the one-time build thread-safe.
     */
    private static final class Compiled {
        private static final ObjectMapper READER = new ObjectMapper();
        private static final JsonSchemaFactory FACTORY =
                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_PATH)
                // draft 2020-12 treats format as an annotation by default; we want time stamps checked.
                .formatAssertionsEnabled(true)
                // Messages go into logs and dead letters; keep them independent of the host locale.
                .locale(Locale.ROOT)
                .build();

        static final JsonSchema ENVELOPE = compile(ENVELOPE_URI);
        static final Map<String, JsonSchema> DATA_BY_TYPE = compileAll();

        private static Map<String, JsonSchema> compileAll() {
            Map<String, JsonSchema> byType = new LinkedHashMap<>();
            SCHEMA_URI_BY_TYPE.forEach((type, uri) -> byType.put(type, compile(uri)));
            return Map.copyOf(byType);
        }

        private static JsonSchema compile(String uri) {
            JsonNode node;
            try (InputStream in = open(uri)) {
                node = READER.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read schema " + uri, e);
            }
            String declaredId = node.path("$id").asText();
            if (!uri.equals(declaredId)) {
                throw new IllegalStateException("schema " + uri + " declares $id " + declaredId);
            }
            JsonSchema schema = FACTORY.getSchema(SchemaLocation.of(uri), node, CONFIG);
            // Resolve every $ref now so that concurrent validations never race on lazy loading.
            schema.initializeValidators();
            return schema;
        }
    }
}
