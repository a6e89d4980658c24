package dev.lumen.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<String> allSchemaUris() {
        return Stream.concat(Stream.of(Schemas.ENVELOPE_URI), Schemas.eventTypes().stream().map(Schemas::schemaUriFor));
    }

    @Test
    void everyEventTypeConstantHasASchema() throws IllegalAccessException {
        Set<String> constants = new TreeSet<>();
        for (Field field : EventTypes.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                constants.add((String) field.get(null));
            }
        }
        assertThat(Schemas.eventTypes()).containsExactlyInAnyOrderElementsOf(constants);
    }

    @Test
    void schemaUrisFollowTheVersionedNamingConvention() {
        assertThat(Schemas.schemaUriFor(EventTypes.RUN_REQUESTED)).isEqualTo("lumen:schemas/run-requested.v1.json");
        assertThat(Schemas.schemaUriFor(EventTypes.RUN_CANCELLED)).isEqualTo("lumen:schemas/run-cancelled.v1.json");
        assertThat(Schemas.schemaUriFor(EventTypes.RUN_DELETED)).isEqualTo("lumen:schemas/run-deleted.v1.json");
        assertThat(Schemas.schemaUriFor(EventTypes.IMAGE_TASK)).isEqualTo("lumen:schemas/image-task.v1.json");
        assertThat(Schemas.schemaUriFor(EventTypes.IMAGE_RESULT)).isEqualTo("lumen:schemas/image-result.v1.json");
        assertThat(Schemas.schemaUriFor(EventTypes.RUN_PROGRESS)).isEqualTo("lumen:schemas/run-progress.v1.json");
        assertThat(Schemas.schemaUriFor(EventTypes.DEAD_LETTER)).isEqualTo("lumen:schemas/dead-letter.v1.json");
        assertThat(Schemas.resourcePathFor(Schemas.ENVELOPE_URI)).isEqualTo("schemas/cloudevent.v1.json");
    }

    @Test
    void unknownTypesAndUrisAreRejected() {
        assertThatThrownBy(() -> Schemas.schemaUriFor("dev.lumen.nope.v1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dev.lumen.nope.v1");
        assertThatThrownBy(() -> Schemas.resourcePathFor("https://example.com/x.json"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Schemas.schemaJson("lumen:schemas/nope.v1.json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope.v1.json");
        assertThat(Schemas.isKnownType(null)).isFalse();
    }

    @ParameterizedTest
    @MethodSource("allSchemaUris")
    void schemaDeclaresItsUriAsIdAndIsDocumented(String uri) throws Exception {
        JsonNode schema = JSON.readTree(Schemas.schemaJson(uri));

        assertThat(schema.path("$id").asText()).isEqualTo(uri);
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("title").asText()).isNotBlank();
        assertThat(schema.path("description").asText()).isNotBlank();
        assertThat(undocumentedProperties(schema, "$")).as("properties without a description").isEmpty();
    }

    @ParameterizedTest
    @MethodSource("allSchemaUris")
    void schemaIsValidDraft202012(String uri) throws Exception {
        JsonSchema metaSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

        Set<ValidationMessage> problems = metaSchema.validate(JSON.readTree(Schemas.schemaJson(uri)));

        assertThat(problems).isEmpty();
    }

    @Test
    void dataSchemasRejectUnknownFields() throws Exception {
        for (String type : Schemas.eventTypes()) {
            JsonNode schema = JSON.readTree(Schemas.schemaJson(Schemas.schemaUriFor(type)));
            assertThat(schema.path("additionalProperties").isBoolean() && !schema.path("additionalProperties").asBoolean())
                    .as(type).isTrue();
        }
    }

    /** Records and schemas must name the same fields, or one side silently drops data. */
    @Test
    void recordComponentsMatchSchemaProperties() throws Exception {
        for (Map.Entry<String, Class<?>> entry : Fixtures.DATA_CLASS_BY_TYPE.entrySet()) {
            JsonNode schema = JSON.readTree(Schemas.schemaJson(Schemas.schemaUriFor(entry.getKey())));
            assertThat(propertyNames(schema)).as(entry.getKey()).isEqualTo(componentNames(entry.getValue()));
        }
        JsonNode envelope = JSON.readTree(Schemas.schemaJson(Schemas.ENVELOPE_URI));
        assertThat(propertyNames(envelope)).isEqualTo(componentNames(CloudEvent.class));

        JsonNode result = JSON.readTree(Schemas.schemaJson(Schemas.schemaUriFor(EventTypes.IMAGE_RESULT)));
        Map<String, Class<?>> nested = Map.of("target", Target.class, "explanation", Explanation.class,
                "saliencyMap", EncodedSaliencyMap.class, "metrics", Metrics.class, "timing", Timing.class);
        nested.forEach((def, type) ->
                assertThat(propertyNames(result.path("$defs").path(def))).as(def).isEqualTo(componentNames(type)));
        assertThat(propertyNames(result.path("properties").path("model"))).isEqualTo(componentNames(ModelRef.class));

        JsonNode task = JSON.readTree(Schemas.schemaJson(Schemas.schemaUriFor(EventTypes.IMAGE_TASK)));
        assertThat(propertyNames(task.path("$defs").path("objectBox"))).isEqualTo(componentNames(ObjectBox.class));

        JsonNode request = JSON.readTree(Schemas.schemaJson(Schemas.schemaUriFor(EventTypes.RUN_REQUESTED)));
        assertThat(propertyNames(request.path("$defs").path("datasetRef"))).isEqualTo(componentNames(DatasetRef.class));
    }

    @Test
    void enumsMatchTheirJavaEnums() throws Exception {
        JsonNode result = JSON.readTree(Schemas.schemaJson(Schemas.schemaUriFor(EventTypes.IMAGE_RESULT)));
        assertThat(texts(result.path("properties").path("outcome").path("enum")))
                .containsExactly(Arrays.stream(Outcome.values()).map(Enum::name).toArray(String[]::new));

        JsonNode progress = JSON.readTree(Schemas.schemaJson(Schemas.schemaUriFor(EventTypes.RUN_PROGRESS)));
        assertThat(texts(progress.path("properties").path("state").path("enum")))
                .containsExactly(Arrays.stream(RunState.values()).map(Enum::name).toArray(String[]::new));
        List<String> terminal = Arrays.stream(RunState.values()).filter(RunState::terminal).map(Enum::name).toList();
        assertThat(texts(progress.path("if").path("properties").path("state").path("enum")))
                .containsExactlyElementsOf(terminal);
    }

    private static Set<String> propertyNames(JsonNode schema) {
        Set<String> names = new TreeSet<>();
        schema.path("properties").properties().forEach(field -> names.add(field.getKey()));
        return names;
    }

    private static Set<String> componentNames(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static List<String> undocumentedProperties(JsonNode node, String path) {
        List<String> missing = new ArrayList<>();
        if (node.isObject()) {
            JsonNode properties = node.get("properties");
            // Inside if/then the properties only restate constraints of documented fields.
            boolean restating = path.endsWith(".if") || path.endsWith(".then");
            if (properties != null && properties.isObject() && !restating) {
                properties.properties().forEach(property -> {
                    if (!property.getValue().hasNonNull("description")) {
                        missing.add(path + ".properties." + property.getKey());
                    }
                });
            }
            for (Map.Entry<String, JsonNode> child : node.properties()) {
                missing.addAll(undocumentedProperties(child.getValue(), path + "." + child.getKey()));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                missing.addAll(undocumentedProperties(node.get(i), path + "[" + i + "]"));
            }
        }
        return missing;
    }
}
