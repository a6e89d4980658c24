package dev.lumen.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AsyncAPI document says what {@link Topics}, {@link EventTypes} and the schemas say: a topic,
 * event type or schema added without its channel or message fails here, as does a document that the
 * AsyncAPI 3.0.0 JSON Schema rejects.
 */
class AsyncApiDocumentTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOMBSTONE = "tombstone";
    private static final Pattern TOPIC_IN_PROSE = Pattern.compile("\\blumen\\.[a-z-]+[a-z]");

    private final JsonNode document = read();

    private static JsonNode read() {
        try {
            return YAML.readTree(AsyncApi.yaml());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The AsyncAPI 3.0.0 specification's JSON Schema (draft-07), vendored from {@code @asyncapi/specs}. */
    private static JsonSchema asyncApiSchema() throws Exception {
        try (InputStream in = AsyncApiDocumentTest.class.getResourceAsStream("/asyncapi/asyncapi-3.0.0.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(JSON.readTree(in));
        }
    }

    @Test
    void validatesAgainstTheAsyncApi300JsonSchema() throws Exception {
        Set<ValidationMessage> problems = asyncApiSchema().validate(document);

        assertThat(problems).isEmpty();
        assertThat(document.path("asyncapi").asText()).isEqualTo("3.0.0");
    }

    @Test
    void theValidatorRejectsABrokenDocument() throws Exception {
        JsonSchema schema = asyncApiSchema();
        JsonNode broken = document.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path("operations").path("explainImage"))
                .put("action", "consume");

        assertThat(schema.validate(broken)).isNotEmpty();
    }

    @Test
    void channelsAreExactlyTheTopicsWithTheirPartitionsAndPolicies() {
        Map<String, JsonNode> channelByAddress = channelsByAddress();

        assertThat(channelByAddress.keySet())
                .containsExactlyInAnyOrderElementsOf(Topics.ALL.stream().map(Topics.TopicSpec::name).toList());
        for (Topics.TopicSpec topic : Topics.ALL) {
            JsonNode kafka = channelByAddress.get(topic.name()).path("bindings").path("kafka");
            assertThat(kafka.path("partitions").asInt()).as(topic.name()).isEqualTo(topic.partitions());
            JsonNode config = kafka.path("topicConfiguration");
            assertThat(texts(config.path("cleanup.policy"))).as(topic.name())
                    .containsExactly(topic.compacted() ? "compact" : "delete");
            if (topic.retentionMs() == null) {
                assertThat(config.has("retention.ms")).as(topic.name()).isFalse();
            } else {
                assertThat(config.path("retention.ms").asLong()).as(topic.name()).isEqualTo(topic.retentionMs());
            }
        }
    }

    @Test
    void messagesAreExactlyTheEventTypesEachWithItsSchemas() {
        Map<String, JsonNode> messageByName = messagesByName();
        Set<String> eventMessages = new TreeSet<>(messageByName.keySet());
        eventMessages.remove(TOMBSTONE);

        assertThat(eventMessages).containsExactlyInAnyOrderElementsOf(Schemas.eventTypes());
        for (String type : Schemas.eventTypes()) {
            JsonNode allOf = messageByName.get(type).path("payload").path("allOf");
            assertThat(allOf.path(0).path("$ref").asText()).as(type).isEqualTo("#/components/schemas/CloudEvent");
            JsonNode properties = allOf.path(1).path("properties");
            assertThat(properties.path("type").path("const").asText()).as(type).isEqualTo(type);
            assertThat(properties.path("dataschema").path("const").asText()).as(type)
                    .isEqualTo(Schemas.schemaUriFor(type));
            assertThat(AsyncApi.schemaUriOf(properties.path("data").path("$ref").asText())).as(type)
                    .isEqualTo(Schemas.schemaUriFor(type));
        }
        assertThat(AsyncApi.schemaUriOf(document.at("/components/schemas/CloudEvent/$ref").asText()))
                .isEqualTo(Schemas.ENVELOPE_URI);
    }

    /** Each data schema's description names its topic; the document must put the message there. */
    @Test
    void eachEventIsOnTheTopicsItsSchemaNames() throws Exception {
        Map<String, Set<String>> documented = new TreeMap<>();
        Map<String, Set<String>> declared = new TreeMap<>();
        Map<String, String> nameByComponent = new HashMap<>();
        document.path("components").path("messages").properties()
                .forEach(entry -> nameByComponent.put(entry.getKey(), entry.getValue().path("name").asText()));
        channelsByAddress().forEach((address, channel) -> channel.path("messages").forEach(message -> {
            String component = message.path("$ref").asText().replace("#/components/messages/", "");
            declared.computeIfAbsent(nameByComponent.get(component), k -> new TreeSet<>()).add(address);
        }));
        for (String type : Schemas.eventTypes()) {
            String description = JSON.readTree(Schemas.schemaJson(Schemas.schemaUriFor(type))).path("description").asText();
            Matcher topics = TOPIC_IN_PROSE.matcher(description);
            Set<String> named = new TreeSet<>();
            while (topics.find()) {
                named.add(topics.group());
            }
            assertThat(named).as("topics named by the schema of " + type).isNotEmpty();
            documented.put(type, named);
        }
        declared.remove(TOMBSTONE);

        assertThat(declared).isEqualTo(documented);
    }

    /** The key schema accepts the keys producers write (see {@link Topics}) and nothing else. */
    @Test
    void kafkaKeysMatchWhatProducersWrite() {
        String runKey = "run-20260314-0001";
        String imageKey = Topics.imageTaskKey(runKey, "img-0042");
        for (Map.Entry<String, JsonNode> message : messagesByName().entrySet()) {
            if (message.getKey().equals(EventTypes.DEAD_LETTER)) {
                continue; // keyed by whatever key the unprocessable record had
            }
            JsonNode key = keySchemaOf(message.getValue());
            JsonSchema keySchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(key);
            boolean imageKeyed = message.getKey().equals(EventTypes.IMAGE_TASK)
                    || message.getKey().equals(EventTypes.IMAGE_PREVIEW);
            assertThat(keySchema.validate(JSON.valueToTree(imageKeyed ? imageKey : runKey))).as(message.getKey()).isEmpty();
            assertThat(keySchema.validate(JSON.valueToTree(imageKeyed ? runKey : imageKey))).as(message.getKey()).isNotEmpty();
        }
    }

    @Test
    void everyReferenceResolvesAndEverySchemaIsReferenced() throws Exception {
        List<String> references = new ArrayList<>();
        collectReferences(document, references);
        Set<String> externalFiles = new TreeSet<>();
        for (String reference : references) {
            if (reference.startsWith("#/")) {
                assertThat(document.at(reference.substring(1)).isMissingNode()).as(reference).isFalse();
            } else {
                String resource = Schemas.resourcePathFor(AsyncApi.schemaUriOf(reference));
                assertThat(getClass().getClassLoader().getResource(resource)).as(reference).isNotNull();
                externalFiles.add(resource);
            }
        }
        URL folder = getClass().getClassLoader().getResource("schemas");
        Set<String> shipped;
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            shipped = files.map(file -> "schemas/" + file.getFileName()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(externalFiles).isEqualTo(shipped);
    }

    @Test
    void operationsUseTheirOwnChannelsMessagesAndEveryChannelHasAProducer() {
        Set<String> sentTo = new TreeSet<>();
        document.path("operations").properties().forEach(entry -> {
            JsonNode operation = entry.getValue();
            String channel = operation.path("channel").path("$ref").asText();
            assertThat(operation.path("messages")).as(entry.getKey()).isNotEmpty();
            operation.path("messages").forEach(message ->
                    assertThat(message.path("$ref").asText()).as(entry.getKey()).startsWith(channel + "/messages/"));
            if (operation.path("action").asText().equals("send")) {
                sentTo.add(channel);
            }
        });
        Set<String> channels = new TreeSet<>();
        document.path("channels").fieldNames().forEachRemaining(name -> channels.add("#/channels/" + name));
        assertThat(sentTo).isEqualTo(channels);
    }

    private JsonNode keySchemaOf(JsonNode message) {
        JsonNode key = message.path("bindings").path("kafka").path("key");
        if (key.isMissingNode()) {
            for (JsonNode trait : message.path("traits")) {
                JsonNode resolved = document.at(trait.path("$ref").asText().substring(1));
                JsonNode traitKey = resolved.path("bindings").path("kafka").path("key");
                if (!traitKey.isMissingNode()) {
                    key = traitKey;
                }
            }
        }
        if (key.has("$ref")) {
            key = document.at(key.path("$ref").asText().substring(1));
        }
        assertThat(key.isMissingNode()).as("key schema of " + message.path("name").asText()).isFalse();
        return key;
    }

    private Map<String, JsonNode> channelsByAddress() {
        Map<String, JsonNode> byAddress = new TreeMap<>();
        document.path("channels").forEach(channel -> byAddress.put(channel.path("address").asText(), channel));
        return byAddress;
    }

    private Map<String, JsonNode> messagesByName() {
        Map<String, JsonNode> byName = new TreeMap<>();
        document.path("components").path("messages").forEach(message -> byName.put(message.path("name").asText(), message));
        return byName;
    }

    private static void collectReferences(JsonNode node, List<String> references) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                if (field.getKey().equals("$ref")) {
                    references.add(field.getValue().asText());
                } else {
                    collectReferences(field.getValue(), references);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectReferences(child, references));
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
