package dev.lumen.deploy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Validates built-in Kubernetes objects against the fabric8 model classes, strictly: an unknown field
 * fails (as {@code kubectl apply} with server-side strict field validation does), and so does a number
 * or boolean where the API wants a string (the "cannot unmarshal number into ... of type string" a
 * cluster answers for {@code value: 8081} in an env var).
 *
 * <p>fabric8's classes catch unknown fields in an {@code additionalProperties} map (a Jackson
 * any-setter), which would make {@code FAIL_ON_UNKNOWN_PROPERTIES} useless; this mapper removes that
 * any-setter from every fabric8 class.
 */
public final class StrictKubernetesModel {

    /** The built-in kinds Lumen deploys, by {@code apiVersion/kind}. */
    static final Map<String, Class<?>> KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class));

    private static final ObjectMapper MAPPER = strictMapper();
    private static final ObjectMapper LENIENT = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private StrictKubernetesModel() {
    }

    /** The model class for {@code apiVersion} and {@code kind}, if this is a known built-in kind. */
    public static Optional<Class<?>> modelClass(String apiVersion, String kind) {
        return Optional.ofNullable(KINDS.get(apiVersion + "/" + kind));
    }

    /**
     * Reads {@code node} into {@code type}.
     *
     * @return the object, never null
     * @throws IllegalArgumentException with a message naming the field path and the problem
     */
    public static <T> T read(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("unknown field '" + e.getPropertyName() + "' at " + location(e)
                    + " (" + e.getReferringClass().getSimpleName() + " has " + e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")", e);
        } catch (InvalidFormatException e) {
            throw new IllegalArgumentException("wrong type at " + location(e) + ": expected "
                    + (e.getTargetType() == null ? "another type" : e.getTargetType().getSimpleName()) + ", found "
                    + e.getValue(), e);
        } catch (MismatchedInputException e) {
            throw new IllegalArgumentException("wrong type at " + location(e) + ": expected "
                    + (e.getTargetType() == null ? "another type" : e.getTargetType().getSimpleName()), e);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException("invalid at " + location(e) + ": " + e.getOriginalMessage(), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /** The JSON path of the failure, e.g. {@code spec.template.spec.containers[0].image}. */
    static String location(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "the top level" : path.toString();
    }

    /**
     * Reads {@code node} into {@code type} leniently (unknown fields and scalar coercions allowed), for
     * cross-reference checks of an object that failed {@link #read}: one typo should be one message,
     * not also "selects nothing" from every Service that points at the object.
     */
    public static <T> T readLenient(JsonNode node, Class<T> type) {
        try {
            return LENIENT.treeToValue(node, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = new ObjectMapper()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        // The API server decodes JSON strictly: no number or boolean where a string is due, no string
        // where a number or boolean is due (IntOrString and Quantity have their own deserializers).
        for (CoercionInputShape shape : new CoercionInputShape[] {
                CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        SimpleModule strict = new SimpleModule("lumen-strict-fabric8");
        strict.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
                                                         BeanDeserializerBuilder builder) {
                if (description.getBeanClass().getName().startsWith("io.fabric8.")) {
                    builder.setAnySetter(null);
                    builder.setIgnoreUnknownProperties(false);
                }
                return builder;
            }
        });
        mapper.registerModule(strict);
        return mapper;
    }
}
