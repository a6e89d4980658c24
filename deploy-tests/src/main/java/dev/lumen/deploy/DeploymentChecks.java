package dev.lumen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.contracts.Topics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Lumen-specific checks of the deployments against the code: topics as {@link Topics#ALL} declares
 * them, worker autoscaling within the partitions of {@link Topics#IMAGE_TASKS}, and every
 * environment variable each service reads set by compose and by Kubernetes.
 */
public final class DeploymentChecks {

    /** The compose variable listing the topics the init container creates. */
    public static final String COMPOSE_TOPICS_VAR = "LUMEN_TOPICS";

    private DeploymentChecks() {
    }

    // ---- topics ----

    /**
     * A topic as a deployment declares it.
     *
     * @param name       topic name
     * @param partitions partition count
     * @param compacted  whether its cleanup policy includes compact
     */
    public record DeclaredTopic(String name, int partitions, boolean compacted) {
    }

    /** Differences between declared topics and {@link Topics#ALL}; empty when they agree. */
    public static List<String> compareTopics(String where, List<DeclaredTopic> declared) {
        List<String> problems = new ArrayList<>();
        Map<String, DeclaredTopic> byName = new LinkedHashMap<>();
        for (DeclaredTopic t : declared) {
            if (byName.put(t.name(), t) != null) {
                problems.add(where + ": topic " + t.name() + " is declared twice");
            }
        }
        for (Topics.TopicSpec spec : Topics.ALL) {
            DeclaredTopic t = byName.remove(spec.name());
            if (t == null) {
                problems.add(where + ": topic " + spec.name() + " is missing (Topics.ALL declares it with "
                        + spec.partitions() + " partitions)");
                continue;
            }
            if (t.partitions() != spec.partitions()) {
                problems.add(where + ": topic " + spec.name() + " has " + t.partitions() + " partitions, Topics.ALL says "
                        + spec.partitions());
            }
            if (t.compacted() != spec.compacted()) {
                problems.add(where + ": topic " + spec.name() + (spec.compacted() ? " must" : " must not")
                        + " be compacted (cleanup.policy), as Topics.ALL says");
            }
        }
        byName.keySet().forEach(name -> problems.add(where + ": topic " + name + " is not in Topics.ALL"));
        return problems;
    }

    /** The KafkaTopic resources of a rendering. */
    public static List<DeclaredTopic> kafkaTopics(List<Resource> resources) {
        return resources.stream().filter(r -> r.kind().equals("KafkaTopic")).map(r -> {
            JsonNode spec = r.body().path("spec");
            return new DeclaredTopic(spec.path("topicName").asText(r.name()), spec.path("partitions").asInt(-1),
                    spec.path("config").path("cleanup.policy").asText("delete").contains("compact"));
        }).toList();
    }

    /**
     * The topics of the compose init service: {@value #COMPOSE_TOPICS_VAR} holds
     * {@code name:partitions:key=value,key=value} items separated by white space.
     */
    public static List<DeclaredTopic> composeTopics(JsonNode compose, String initService) {
        String list = environment(compose.path("services").path(initService)).get(COMPOSE_TOPICS_VAR);
        if (list == null) {
            throw new IllegalArgumentException("compose service " + initService + " does not set " + COMPOSE_TOPICS_VAR);
        }
        List<DeclaredTopic> topics = new ArrayList<>();
        for (String item : list.strip().split("\\s+")) {
            String[] parts = item.split(":", 3);
            if (parts.length < 2) {
                throw new IllegalArgumentException(COMPOSE_TOPICS_VAR + ": not name:partitions[:configs]: " + item);
            }
            boolean compacted = parts.length == 3 && List.of(parts[2].split(",")).stream()
                    .anyMatch(c -> c.startsWith("cleanup.policy=") && c.contains("compact"));
            topics.add(new DeclaredTopic(parts[0], Integer.parseInt(parts[1]), compacted));
        }
        return topics;
    }

    // ---- worker autoscaling ----

    /**
     * The worker ScaledObject scales on the workers' consumer group and {@link Topics#IMAGE_TASKS}, and
     * never past that topic's partitions (a worker beyond them would get no partition).
     */
    public static List<String> workerScaling(List<Resource> resources, Path repo) {
        List<String> problems = new ArrayList<>();
        int partitions = Topics.ALL.stream().filter(t -> t.name().equals(Topics.IMAGE_TASKS)).findFirst()
                .orElseThrow().partitions();
        String group = ConfigSources.properties(repo, "worker-service")
                .get("mp.messaging.incoming.image-tasks-in.group.id");
        List<Resource> scalers = resources.stream().filter(r -> r.kind().equals("ScaledObject")
                && r.body().path("spec").path("scaleTargetRef").path("name").asText().equals("worker-service")).toList();
        if (scalers.size() != 1) {
            problems.add("expected one ScaledObject for worker-service, found " + scalers.size());
            return problems;
        }
        Resource so = scalers.get(0);
        JsonNode spec = so.body().path("spec");
        int max = spec.path("maxReplicaCount").asInt(100);
        if (max > partitions) {
            problems.add(so.ref() + ": maxReplicaCount " + max + " exceeds the " + partitions + " partitions of "
                    + Topics.IMAGE_TASKS + " (workers beyond them would idle)");
        }
        boolean lagTrigger = false;
        for (JsonNode trigger : spec.path("triggers")) {
            if (trigger.path("type").asText().equals("kafka")) {
                lagTrigger = true;
                JsonNode meta = trigger.path("metadata");
                if (!Topics.IMAGE_TASKS.equals(meta.path("topic").asText())) {
                    problems.add(so.ref() + ": kafka trigger topic is '" + meta.path("topic").asText() + "', not "
                            + Topics.IMAGE_TASKS);
                }
                if (!meta.path("consumerGroup").asText().equals(group)) {
                    problems.add(so.ref() + ": kafka trigger consumerGroup is '" + meta.path("consumerGroup").asText()
                            + "', the workers' group.id is '" + group + "'");
                }
            }
        }
        if (!lagTrigger) {
            problems.add(so.ref() + ": no kafka (consumer lag) trigger");
        }
        return problems;
    }

    // ---- environment coverage ----

    /** Each service's Deployment sets every variable {@link ConfigSources#requiredEnv} lists. */
    public static List<String> kubernetesEnv(List<Resource> resources, Path repo) {
        List<String> problems = new ArrayList<>();
        for (String service : ConfigSources.SERVICES) {
            List<Resource> deployments = resources.stream()
                    .filter(r -> r.kind().equals("Deployment") && r.name().equals(service)).toList();
            if (deployments.size() != 1) {
                problems.add("Kubernetes: expected one Deployment " + service + ", found " + deployments.size());
                continue;
            }
            Resource d = deployments.get(0);
            JsonNode container = null;
            for (JsonNode c : d.body().path("spec").path("template").path("spec").path("containers")) {
                if (c.path("name").asText().equals(service)) {
                    container = c;
                }
            }
            if (container == null) {
                problems.add(d.ref() + ": no container named " + service);
                continue;
            }
            Set<String> set = new TreeSet<>();
            container.path("env").forEach(e -> set.add(e.path("name").asText()));
            for (JsonNode from : container.path("envFrom")) {
                String prefix = from.path("prefix").asText("");
                if (from.has("configMapRef")) {
                    keys(resources, d.namespace(), "ConfigMap", from.path("configMapRef").path("name").asText())
                            .forEach(k -> set.add(prefix + k));
                }
                if (from.has("secretRef")) {
                    keys(resources, d.namespace(), "Secret", from.path("secretRef").path("name").asText())
                            .forEach(k -> set.add(prefix + k));
                }
            }
            Set<String> missing = new TreeSet<>(ConfigSources.requiredEnv(repo, service));
            missing.removeAll(set);
            if (!missing.isEmpty()) {
                problems.add(d.ref() + " (" + d.origin() + "): sets neither in env nor through its ConfigMaps and Secrets "
                        + missing + ", which " + service + " reads");
            }
        }
        return problems;
    }

    private static Set<String> keys(List<Resource> resources, String namespace, String kind, String name) {
        Set<String> keys = new LinkedHashSet<>();
        resources.stream().filter(r -> r.kind().equals(kind) && r.namespace().equals(namespace) && r.name().equals(name))
                .forEach(r -> {
                    r.body().path("data").fieldNames().forEachRemaining(keys::add);
                    r.body().path("stringData").fieldNames().forEachRemaining(keys::add);
                });
        return keys;
    }

    /** Each service of the compose file sets every variable {@link ConfigSources#requiredEnv} lists. */
    public static List<String> composeEnv(JsonNode compose, Path repo) {
        List<String> problems = new ArrayList<>();
        for (String service : ConfigSources.SERVICES) {
            JsonNode node = compose.path("services").path(service);
            if (node.isMissingNode()) {
                problems.add("compose: no service " + service);
                continue;
            }
            Set<String> missing = new TreeSet<>(ConfigSources.requiredEnv(repo, service));
            missing.removeAll(environment(node).keySet());
            if (!missing.isEmpty()) {
                problems.add("compose service " + service + ": environment lacks " + missing + ", which " + service + " reads");
            }
        }
        return problems;
    }

    /** A compose service's environment, from its map or {@code KEY=VALUE} list form. */
    public static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode e = service.path("environment");
        if (e.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                env.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().asText());
            }
        } else if (e.isArray()) {
            for (JsonNode item : e) {
                String s = item.asText();
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        }
        return env;
    }

    // ---- compose shape ----

    /**
     * The compose file runs KRaft Kafka and MinIO, creates topics and bucket before the services
     * start, health-checks every service, and lets the worker scale ({@code --scale worker-service=N}:
     * no container name, no host port).
     */
    public static List<String> composeShape(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        JsonNode services = compose.path("services");
        if (!services.path("kafka").path("image").asText().startsWith("apache/kafka:")) {
            problems.add("compose: service kafka must use an apache/kafka image");
        }
        if (!environment(services.path("kafka")).getOrDefault("KAFKA_PROCESS_ROLES", "").contains("controller")) {
            problems.add("compose: kafka must run in KRaft mode (KAFKA_PROCESS_ROLES with controller)");
        }
        if (!services.path("minio").path("image").asText().startsWith("minio/minio:")) {
            problems.add("compose: service minio must use a minio/minio image");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            String image = s.getValue().path("image").asText("");
            if (!image.isEmpty() && (!image.contains(":") || image.endsWith(":latest"))) {
                problems.add("compose service " + s.getKey() + ": pin the image version (" + image + ")");
            }
            for (Iterator<Map.Entry<String, JsonNode>> deps = s.getValue().path("depends_on").fields(); deps.hasNext(); ) {
                Map.Entry<String, JsonNode> dep = deps.next();
                if (!services.has(dep.getKey())) {
                    problems.add("compose service " + s.getKey() + " depends on unknown service " + dep.getKey());
                }
            }
        }
        for (String service : ConfigSources.SERVICES) {
            JsonNode s = services.path(service);
            if (s.isMissingNode()) {
                continue;
            }
            String test = s.path("healthcheck").path("test").toString();
            if (!test.contains("/q/health/")) {
                problems.add("compose service " + service + ": needs a healthcheck on /q/health/ready");
            }
            JsonNode deps = s.path("depends_on");
            if (!deps.isObject() || deps.isEmpty()) {
                problems.add("compose service " + service + ": depends_on must wait (with conditions) for the init services");
            } else {
                Set<String> conditions = new LinkedHashSet<>();
                deps.fields().forEachRemaining(d -> {
                    String c = d.getValue().path("condition").asText("");
                    if (c.isEmpty()) {
                        problems.add("compose service " + service + ": depends_on " + d.getKey() + " without condition");
                    }
                    conditions.add(c);
                });
                if (!conditions.contains("service_completed_successfully")) {
                    problems.add("compose service " + service + ": must wait for the topic and bucket init to complete");
                }
            }
            if (!s.has("build")) {
                problems.add("compose service " + service + ": needs a build section (its Dockerfile)");
            }
        }
        JsonNode worker = services.path("worker-service");
        for (String field : List.of("container_name", "ports", "hostname")) {
            if (worker.has(field)) {
                problems.add("compose service worker-service: " + field + " prevents --scale worker-service=N");
            }
        }
        return problems;
    }

    /** The compose services whose environment sets {@value #COMPOSE_TOPICS_VAR}. */
    public static List<String> topicInitServices(JsonNode compose) {
        List<String> names = new ArrayList<>();
        compose.path("services").fields().forEachRemaining(s -> {
            if (environment(s.getValue()).containsKey(COMPOSE_TOPICS_VAR)) {
                names.add(s.getKey());
            }
        });
        return names;
    }
}
