package dev.lumen.contracts;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.PathType;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes and reads Lumen events as CloudEvents 1.0 structured JSON (the Kafka record value), checking
 * the envelope and the data against their JSON Schemas both ways: a producer bug never reaches a
 * topic, and a consumer never binds a malformed event.
 *
 * <p>Thread-safe; every instance shares one {@link ObjectMapper} and the compiled schemas, so
 * creating codecs is cheap. The tracing extension ({@code traceparent}, {@code tracestate}) is kept;
 * other envelope extension attributes are accepted
 * and dropped; unknown fields in data are rejected by the schemas.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // With duplicate keys, which value counts depends on the parser; refuse to guess.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final String DATA_PATH = "$.data";
    private static final Pattern SOURCE_IN_LOCATION = Pattern.compile("\\[Source: [^;\\]]*; ");

    /** Creates a codec; all codecs share the same mapper and schemas. */
    public EventCodec() {
    }

    /**
     * Serialises an event after validating its envelope and data.
     *
     * @param event the event, typically from {@link CloudEvent#of}
     * @return the UTF-8 JSON of the whole envelope, ready to be a Kafka record value
     * @throws InvalidEventException if the envelope or data breaks its schema, the type is unknown,
     *     or {@code dataschema} does not match the type
     */
    public byte[] encode(CloudEvent<?> event) {
        Objects.requireNonNull(event, "event");
        String context = "invalid " + event.type();
        JsonNode tree;
        try {
            tree = MAPPER.valueToTree(event);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(context,
                    List.of(DATA_PATH + ": cannot be written as JSON: " + e.getMessage()), e);
        }
        List<String> problems = problemsOf(tree, event.type());
        if (!problems.isEmpty()) {
            throw new InvalidEventException(context, problems);
        }
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a validated tree", e);
        }
    }

    /**
     * The {@code type} attribute of a value, without validating anything else; for consumers of a topic
     * that carries several event types (e.g. {@link Topics#RUN_REQUESTS}) to pick what to decode as.
     *
     * @param value a Kafka record value
     * @return the type, or empty when the value is not a JSON object with a textual {@code type}
     */
    public Optional<String> typeOf(byte[] value) {
        if (value == null || value.length == 0) {
            return Optional.empty();
        }
        try {
            JsonNode type = MAPPER.readTree(value).path("type");
            return type.isTextual() ? Optional.of(type.asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Parses, validates and binds an event of an expected type.
     *
     * @param value the Kafka record value: a whole CloudEvent in structured JSON mode
     * @param expectedType the type this consumer handles, one of {@link EventTypes}
     * @param dataType the record that type's data binds to, e.g. {@code RunRequested.class}
     * @param <T> the data type
     * @return the event with its trace context; other extension attributes dropped
     * @throws InvalidEventException if the value is not JSON, the envelope or data breaks its
     *     schema, or the event is of another type
     * @throws IllegalArgumentException if {@code expectedType} is not a known event type
     */
    public <T> CloudEvent<T> decode(byte[] value, String expectedType, Class<T> dataType) {
        Objects.requireNonNull(dataType, "dataType");
        if (!Schemas.isKnownType(expectedType)) {
            throw new IllegalArgumentException("unknown event type " + expectedType
                    + "; known: " + Schemas.eventTypes());
        }
        String context = "invalid " + expectedType;
        JsonNode tree = parse(value);

        // A wrong type usually means a wrong topic or a misrouted producer: say that first,
        // rather than listing every field the other type's schema dislikes.
        JsonNode actualType = tree.get("type");
        if (actualType != null && actualType.isTextual() && !expectedType.equals(actualType.asText())) {
            throw new InvalidEventException(context,
                    List.of("$.type: expected " + expectedType + " but was " + actualType.asText()));
        }
        List<String> problems = problemsOf(tree, expectedType);
        if (!problems.isEmpty()) {
            throw new InvalidEventException(context, problems);
        }
        JavaType eventType = MAPPER.getTypeFactory().constructParametricType(CloudEvent.class, dataType);
        try {
            return MAPPER.treeToValue(tree, eventType);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // The schema passed, so this is a data type that does not fit the event type, or a
            // value the schema cannot bound tightly enough (e.g. a seed beyond a long).
            throw new InvalidEventException(context,
                    List.of(bindingPath(e) + ": cannot be read as " + dataType.getSimpleName() + ": "
                            + originalMessage(e)), e);
        }
    }

    /**
     * Serialises any value with the codec's mapper, without schema validation (for logs, REST
     * bodies, dead-letter payloads).
     *
     * @throws IllegalArgumentException if the value cannot be written as JSON
     */
    public String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * The shared mapper: Java time support, ISO-8601 instants, strict about trailing tokens and
     * duplicate keys. Shared by every codec, so do not reconfigure it; call {@link ObjectMapper#copy()}
     * for a variant.
     */
    public ObjectMapper mapper() {
        return MAPPER;
    }

    private static JsonNode parse(byte[] value) {
        if (value == null || value.length == 0) {
            throw new InvalidEventException("not JSON", List.of("empty value"));
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("not JSON", List.of(describe(e)), e);
        } catch (IOException e) {
            throw new InvalidEventException("not JSON", List.of(e.getMessage()), e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new InvalidEventException("not JSON", List.of("blank value"));
        }
        return tree;
    }

    /** Envelope, type, dataschema and data problems of an event tree, in that order. */
    private static List<String> problemsOf(JsonNode event, String type) {
        // Non-finite numbers come from NaN in a record (Jackson would write it as a string no
        // consumer accepts) or from a literal like 1e400 (parsed as infinity); the validator
        // cannot compare them with bounds, so they are refused before it runs.
        List<String> nonFinite = new ArrayList<>();
        collectNonFiniteNumbers(event, new JsonNodePath(PathType.JSON_PATH), nonFinite);
        if (!nonFinite.isEmpty()) {
            return nonFinite;
        }
        Set<String> problems = new LinkedHashSet<>(validate(Schemas.envelopeSchema(), event, "$"));
        if (!Schemas.isKnownType(type)) {
            problems.add("$.type: unknown event type " + type + "; known: " + Schemas.eventTypes());
            return List.copyOf(problems);
        }
        String expectedSchema = Schemas.schemaUriFor(type);
        JsonNode dataschema = event.path("dataschema");
        if (dataschema.isTextual() && !expectedSchema.equals(dataschema.asText())) {
            problems.add("$.dataschema: must be " + expectedSchema + " for " + type + " but was "
                    + dataschema.asText());
        }
        JsonNode data = event.path("data");
        // A missing or non-object data is already reported by the envelope schema.
        if (data.isObject()) {
            problems.addAll(validate(Schemas.dataSchemaFor(type), data, DATA_PATH));
        }
        return List.copyOf(problems);
    }

    private static void collectNonFiniteNumbers(JsonNode node, JsonNodePath at, List<String> problems) {
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            problems.add(at + ": must be a finite number");
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                collectNonFiniteNumbers(field.getValue(), at.append(field.getKey()), problems);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectNonFiniteNumbers(node.get(i), at.append(i), problems);
            }
        }
    }

    /**
     * Validates {@code node} and renders each problem as {@code <path>: <what is wrong>}, where path
     * is the JSON path from the event root ({@code root} is where {@code node} sits in the event).
     */
    private static List<String> validate(JsonSchema schema, JsonNode node, String root) {
        List<String> problems = new ArrayList<>();
        for (ValidationMessage message : schema.validate(node)) {
            problems.add(render(message, root));
        }
        return problems;
    }

    private static String render(ValidationMessage message, String root) {
        JsonNodePath at = message.getInstanceLocation();
        Object[] args = message.getArguments();
        String detail;
        switch (message.getType()) {
            // Point at the missing or unknown field itself, not at its parent object.
            case "required" -> {
                at = at.append(message.getProperty());
                detail = "is required";
            }
            case "additionalProperties" -> {
                at = at.append(message.getProperty());
                detail = "is not a known field";
            }
            case "propertyNames" -> {
                at = at.append(message.getProperty());
                detail = "is not an allowed name: " + arg(args, 1);
            }
            case "minimum" -> detail = "must be >= " + arg(args, 0);
            case "maximum" -> detail = "must be <= " + arg(args, 0);
            case "exclusiveMinimum" -> detail = "must be > " + arg(args, 0);
            case "exclusiveMaximum" -> detail = "must be < " + arg(args, 0);
            case "type" -> detail = "must be " + arg(args, 1) + " but was " + arg(args, 0);
            case "enum" -> detail = "must be one of " + arg(args, 0);
            // The schema node is the constant itself, so strings come out quoted as in JSON.
            case "const" -> detail = "must be " + message.getSchemaNode();
            case "pattern" -> detail = "must match " + arg(args, 0);
            case "format" -> detail = "must be a valid " + arg(args, 0);
            case "minLength" -> detail = "must have at least " + arg(args, 0) + " characters";
            case "maxLength" -> detail = "must have at most " + arg(args, 0) + " characters";
            case "minItems" -> detail = "must have at least " + arg(args, 0) + " item(s) but has " + arg(args, 1);
            case "maxItems" -> detail = "must have at most " + arg(args, 0) + " item(s) but has " + arg(args, 1);
            default -> detail = message.getError();
        }
        return relocate(at, root) + ": " + detail;
    }

    /** Turns a path relative to the validated node ({@code $...}) into one from the event root. */
    private static String relocate(JsonNodePath path, String root) {
        return root + path.toString().substring(1);
    }

    private static String arg(Object[] args, int index) {
        return args != null && index < args.length ? String.valueOf(args[index]) : "?";
    }

    private static String describe(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String where = location == null ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        // Jackson names the (redacted) source inside nested locations; only line and column help.
        String message = SOURCE_IN_LOCATION.matcher(e.getOriginalMessage()).replaceAll("[");
        return message + where;
    }

    /** Where binding failed, as a JSON path from the event root. */
    private static String bindingPath(Exception e) {
        JsonNodePath at = new JsonNodePath(PathType.JSON_PATH);
        if (e instanceof JsonMappingException mapping) {
            for (JsonMappingException.Reference reference : mapping.getPath()) {
                at = reference.getFieldName() != null ? at.append(reference.getFieldName())
                        : at.append(reference.getIndex());
            }
        }
        return at.toString();
    }

    private static String originalMessage(Exception e) {
        return e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    }
}
