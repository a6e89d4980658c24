package dev.lumen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import com.networknt.schema.JsonSchema;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Validates rendered Kubernetes objects without a cluster: every built-in object strictly against the
 * fabric8 model ({@link StrictKubernetesModel}), every custom resource against its CRD schema
 * ({@link CrdSchemas}), and then what the API server or the operators would reject or silently get
 * wrong across objects: selectors that select nothing, references to missing ConfigMaps, Secrets,
 * keys, volumes, ports and Services, requests above limits, Kafka replication factors above the
 * broker count, a ScaledObject on a missing Deployment.
 */
public final class ManifestValidator {

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");
    private static final Pattern DNS_LABEL = Pattern.compile("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$");
    private static final Set<String> LABEL_NAMED = Set.of("Service", "Namespace");

    private final List<Resource> resources;
    private final List<String> problems = new ArrayList<>();
    private final Map<Resource, Object> typed = new LinkedHashMap<>();

    private ManifestValidator(List<Resource> resources) {
        this.resources = resources;
    }

    /** Every problem found in {@code resources}, each naming the object and its source; empty when valid. */
    public static List<String> validate(List<Resource> resources) {
        ManifestValidator v = new ManifestValidator(resources);
        resources.forEach(v::checkSchema);
        v.typed.forEach(v::checkReferences);
        resources.stream().filter(r -> r.group().equals("kafka.strimzi.io")).forEach(v::checkStrimzi);
        resources.stream().filter(r -> r.kind().equals("ScaledObject")).forEach(v::checkScaledObject);
        return List.copyOf(v.problems);
    }

    private void problem(Resource r, String message) {
        problems.add(r.ref() + " (" + r.origin() + "): " + message);
    }

    // ---- per object: schema ----

    private void checkSchema(Resource r) {
        if (r.apiVersion().isEmpty() || r.kind().isEmpty()) {
            problem(r, "apiVersion and kind are required");
            return;
        }
        if (r.name().isEmpty()) {
            problem(r, "metadata.name is required");
        } else if (LABEL_NAMED.contains(r.kind()) ? !DNS_LABEL.matcher(r.name()).matches()
                : !DNS_SUBDOMAIN.matcher(r.name()).matches()) {
            problem(r, "metadata.name '" + r.name() + "' is not a valid " + (LABEL_NAMED.contains(r.kind())
                    ? "DNS-1035 label" : "DNS subdomain"));
        }
        Optional<Class<?>> model = StrictKubernetesModel.modelClass(r.apiVersion(), r.kind());
        if (model.isPresent()) {
            try {
                typed.put(r, StrictKubernetesModel.read(r.body(), model.get()));
            } catch (IllegalArgumentException e) {
                problem(r, e.getMessage());
                try {
                    typed.put(r, StrictKubernetesModel.readLenient(r.body(), model.get()));
                } catch (IllegalArgumentException unreadable) {
                    // Too broken for cross-reference checks; the message above says why.
                }
            }
            return;
        }
        Optional<JsonSchema> schema = CrdSchemas.schema(r.apiVersion(), r.kind());
        if (schema.isEmpty()) {
            problem(r, "no model or CRD schema for " + r.apiVersion() + " " + r.kind()
                    + " (add one to StrictKubernetesModel or crd-schemas/)");
            return;
        }
        try {
            StrictKubernetesModel.read(r.body().path("metadata"), ObjectMeta.class);
        } catch (IllegalArgumentException e) {
            problem(r, "metadata: " + e.getMessage());
        }
        CrdSchemas.validate(schema.get(), r.body()).forEach(m -> problem(r, "CRD schema: " + m));
    }

    // ---- across objects ----

    private Stream<Map.Entry<Resource, Object>> typedOf(Class<?> type, String namespace) {
        return typed.entrySet().stream()
                .filter(e -> type.isInstance(e.getValue()) && e.getKey().namespace().equals(namespace));
    }

    /** Pod templates of the workloads in {@code namespace}, by workload. */
    private Map<Resource, PodTemplateSpec> podTemplates(String namespace) {
        Map<Resource, PodTemplateSpec> templates = new LinkedHashMap<>();
        typed.forEach((r, o) -> {
            if (!r.namespace().equals(namespace)) {
                return;
            }
            PodTemplateSpec t = o instanceof Deployment d && d.getSpec() != null ? d.getSpec().getTemplate()
                    : o instanceof StatefulSet s && s.getSpec() != null ? s.getSpec().getTemplate()
                    : o instanceof Job j && j.getSpec() != null ? j.getSpec().getTemplate() : null;
            if (t != null) {
                templates.put(r, t);
            }
        });
        return templates;
    }

    private static Map<String, String> labelsOf(PodTemplateSpec t) {
        return t.getMetadata() == null || t.getMetadata().getLabels() == null ? Map.of() : t.getMetadata().getLabels();
    }

    private void checkReferences(Resource r, Object o) {
        if (o instanceof Deployment d) {
            checkWorkload(r, d.getSpec() == null ? null : d.getSpec().getSelector(),
                    d.getSpec() == null ? null : d.getSpec().getTemplate(), true);
        } else if (o instanceof StatefulSet s) {
            checkWorkload(r, s.getSpec() == null ? null : s.getSpec().getSelector(),
                    s.getSpec() == null ? null : s.getSpec().getTemplate(), true);
            String serviceName = s.getSpec() == null ? null : s.getSpec().getServiceName();
            if (serviceName != null && typedOf(Service.class, r.namespace())
                    .noneMatch(e -> e.getKey().name().equals(serviceName)
                            && "None".equals(((Service) e.getValue()).getSpec().getClusterIP()))) {
                problem(r, "serviceName " + serviceName + " is not a headless Service (clusterIP: None) here");
            }
        } else if (o instanceof Job j) {
            checkWorkload(r, null, j.getSpec() == null ? null : j.getSpec().getTemplate(), false);
        } else if (o instanceof Service s) {
            checkService(r, s);
        } else if (o instanceof PodDisruptionBudget pdb) {
            checkPdb(r, pdb);
        } else if (o instanceof Ingress i) {
            checkIngress(r, i);
        } else if (o instanceof NetworkPolicy np) {
            checkNetworkPolicy(r, np);
        }
    }

    private void checkWorkload(Resource r, LabelSelector selector, PodTemplateSpec template, boolean needsSelector) {
        if (template == null || template.getSpec() == null) {
            problem(r, "spec.template.spec is required");
            return;
        }
        if (needsSelector && selector == null) {
            problem(r, "spec.selector is required");
        } else if (selector != null && !matches(selector, labelsOf(template))) {
            problem(r, "spec.selector does not match the pod template's labels " + labelsOf(template));
        }
        PodSpec pod = template.getSpec();
        if (pod.getContainers() == null || pod.getContainers().isEmpty()) {
            problem(r, "the pod template has no containers");
            return;
        }
        Set<String> volumes = new HashSet<>();
        if (pod.getVolumes() != null) {
            pod.getVolumes().stream().map(Volume::getName).forEach(volumes::add);
        }
        if (o(r) instanceof StatefulSet s && s.getSpec().getVolumeClaimTemplates() != null) {
            s.getSpec().getVolumeClaimTemplates().forEach(pvc -> volumes.add(pvc.getMetadata().getName()));
        }
        Set<String> names = new HashSet<>();
        List<Container> all = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
            all.addAll(pod.getInitContainers());
        }
        for (Container c : all) {
            String where = "container " + c.getName();
            if (c.getName() == null || !names.add(c.getName())) {
                problem(r, "container names must be present and unique (" + c.getName() + ")");
            }
            if (c.getImage() == null || c.getImage().isBlank()) {
                problem(r, where + ": image is required");
            }
            if (c.getVolumeMounts() != null) {
                for (VolumeMount m : c.getVolumeMounts()) {
                    if (!volumes.contains(m.getName())) {
                        problem(r, where + ": volumeMount " + m.getName() + " names no volume of the pod");
                    }
                }
            }
            Set<String> portNames = new HashSet<>();
            if (c.getPorts() != null) {
                c.getPorts().stream().map(ContainerPort::getName).filter(Objects::nonNull).forEach(portNames::add);
            }
            for (Probe p : Stream.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())
                    .filter(Objects::nonNull).toList()) {
                IntOrString port = p.getHttpGet() != null ? p.getHttpGet().getPort()
                        : p.getTcpSocket() != null ? p.getTcpSocket().getPort() : null;
                if (port != null && port.getStrVal() != null && !portNames.contains(port.getStrVal())) {
                    problem(r, where + ": a probe uses port '" + port.getStrVal() + "', which the container does not name");
                }
            }
            checkEnv(r, where, c);
            checkResources(r, where, c);
        }
    }

    private Object o(Resource r) {
        return typed.get(r);
    }

    private void checkEnv(Resource r, String where, Container c) {
        if (c.getEnv() != null) {
            Set<String> seen = new HashSet<>();
            for (EnvVar e : c.getEnv()) {
                if (!seen.add(e.getName())) {
                    problem(r, where + ": env " + e.getName() + " is set twice");
                }
                if (e.getValueFrom() == null) {
                    continue;
                }
                var cm = e.getValueFrom().getConfigMapKeyRef();
                if (cm != null && !Boolean.TRUE.equals(cm.getOptional()) && !hasKey(r.namespace(), "ConfigMap", cm.getName(), cm.getKey())) {
                    problem(r, where + ": env " + e.getName() + " reads key " + cm.getKey() + " of ConfigMap " + cm.getName()
                            + ", which is not rendered");
                }
                var sk = e.getValueFrom().getSecretKeyRef();
                if (sk != null && !Boolean.TRUE.equals(sk.getOptional()) && !hasKey(r.namespace(), "Secret", sk.getName(), sk.getKey())) {
                    problem(r, where + ": env " + e.getName() + " reads key " + sk.getKey() + " of Secret " + sk.getName()
                            + ", which is not rendered");
                }
            }
        }
        if (c.getEnvFrom() != null) {
            for (EnvFromSource from : c.getEnvFrom()) {
                if (from.getConfigMapRef() != null && !Boolean.TRUE.equals(from.getConfigMapRef().getOptional())
                        && keys(r.namespace(), "ConfigMap", from.getConfigMapRef().getName()).isEmpty()) {
                    problem(r, where + ": envFrom ConfigMap " + from.getConfigMapRef().getName() + " is not rendered");
                }
                if (from.getSecretRef() != null && !Boolean.TRUE.equals(from.getSecretRef().getOptional())
                        && keys(r.namespace(), "Secret", from.getSecretRef().getName()).isEmpty()) {
                    problem(r, where + ": envFrom Secret " + from.getSecretRef().getName() + " is not rendered");
                }
            }
        }
    }

    /** Keys of a rendered ConfigMap or Secret; empty when it is not rendered. */
    Optional<Set<String>> keys(String namespace, String kind, String name) {
        return typed.entrySet().stream()
                .filter(e -> e.getKey().kind().equals(kind) && e.getKey().namespace().equals(namespace)
                        && e.getKey().name().equals(name))
                .findFirst()
                .map(e -> {
                    Set<String> keys = new HashSet<>();
                    if (e.getValue() instanceof ConfigMap cm) {
                        Optional.ofNullable(cm.getData()).ifPresent(d -> keys.addAll(d.keySet()));
                        Optional.ofNullable(cm.getBinaryData()).ifPresent(d -> keys.addAll(d.keySet()));
                    } else if (e.getValue() instanceof Secret s) {
                        Optional.ofNullable(s.getData()).ifPresent(d -> keys.addAll(d.keySet()));
                        Optional.ofNullable(s.getStringData()).ifPresent(d -> keys.addAll(d.keySet()));
                    }
                    return keys;
                });
    }

    private boolean hasKey(String namespace, String kind, String name, String key) {
        return keys(namespace, kind, name).map(k -> k.contains(key)).orElse(false);
    }

    private void checkResources(Resource r, String where, Container c) {
        if (c.getResources() == null) {
            problem(r, where + ": no resource requests and limits");
            return;
        }
        Map<String, Quantity> requests = c.getResources().getRequests() == null ? Map.of() : c.getResources().getRequests();
        Map<String, Quantity> limits = c.getResources().getLimits() == null ? Map.of() : c.getResources().getLimits();
        if (requests.isEmpty() || !limits.containsKey("memory")) {
            problem(r, where + ": needs resource requests and a memory limit");
        }
        for (Map.Entry<String, Quantity> request : requests.entrySet()) {
            Quantity limit = limits.get(request.getKey());
            if (limit == null) {
                continue;
            }
            try {
                BigDecimal req = request.getValue().getNumericalAmount();
                BigDecimal lim = limit.getNumericalAmount();
                boolean extended = request.getKey().contains("/");
                if (extended ? req.compareTo(lim) != 0 : req.compareTo(lim) > 0) {
                    problem(r, where + ": " + request.getKey() + " request " + request.getValue() + (extended
                            ? " must equal its limit " : " exceeds its limit ") + limit);
                }
            } catch (IllegalArgumentException | ArithmeticException e) {
                problem(r, where + ": invalid quantity for " + request.getKey());
            }
        }
        for (Map.Entry<String, Quantity> limit : limits.entrySet()) {
            try {
                BigDecimal amount = limit.getValue().getNumericalAmount();
                if (limit.getKey().contains("/") && amount.stripTrailingZeros().scale() > 0) {
                    problem(r, where + ": extended resource " + limit.getKey() + " must be a whole number");
                }
            } catch (IllegalArgumentException | ArithmeticException e) {
                problem(r, where + ": invalid quantity " + limit.getValue() + " for " + limit.getKey());
            }
        }
    }

    private void checkService(Resource r, Service s) {
        if (s.getSpec() == null || s.getSpec().getPorts() == null || s.getSpec().getPorts().isEmpty()) {
            problem(r, "a Service needs ports");
            return;
        }
        Map<String, String> selector = s.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) {
            return;
        }
        List<PodTemplateSpec> selected = podTemplates(r.namespace()).values().stream()
                .filter(t -> labelsOf(t).entrySet().containsAll(selector.entrySet())).toList();
        if (selected.isEmpty()) {
            problem(r, "selector " + selector + " selects no pod template");
            return;
        }
        for (ServicePort port : s.getSpec().getPorts()) {
            IntOrString target = port.getTargetPort();
            if (target != null && target.getStrVal() != null && selected.stream().noneMatch(t -> t.getSpec().getContainers()
                    .stream().filter(c -> c.getPorts() != null).flatMap(c -> c.getPorts().stream())
                    .anyMatch(p -> target.getStrVal().equals(p.getName())))) {
                problem(r, "targetPort '" + target.getStrVal() + "' is named by no container port of the selected pods");
            }
        }
    }

    private void checkPdb(Resource r, PodDisruptionBudget pdb) {
        if (pdb.getSpec() == null || pdb.getSpec().getSelector() == null) {
            problem(r, "spec.selector is required");
            return;
        }
        if ((pdb.getSpec().getMinAvailable() == null) == (pdb.getSpec().getMaxUnavailable() == null)) {
            problem(r, "set exactly one of minAvailable and maxUnavailable");
        }
        List<Resource> workloads = podTemplates(r.namespace()).entrySet().stream()
                .filter(e -> matches(pdb.getSpec().getSelector(), labelsOf(e.getValue()))).map(Map.Entry::getKey).toList();
        if (workloads.isEmpty()) {
            problem(r, "selector selects no pod template");
        }
        IntOrString min = pdb.getSpec().getMinAvailable();
        for (Resource w : workloads) {
            if (o(w) instanceof Deployment d && min != null && min.getIntVal() != null) {
                int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
                if (min.getIntVal() >= replicas) {
                    problem(r, "minAvailable " + min.getIntVal() + " with " + replicas + " replicas of " + w.ref()
                            + " blocks every node drain");
                }
            }
        }
    }

    private void checkIngress(Resource r, Ingress ingress) {
        if (ingress.getSpec() == null || ingress.getSpec().getRules() == null) {
            problem(r, "an Ingress needs rules");
            return;
        }
        for (IngressRule rule : ingress.getSpec().getRules()) {
            if (rule.getHttp() == null) {
                continue;
            }
            for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                if (path.getPathType() == null) {
                    problem(r, "path " + path.getPath() + " needs a pathType");
                }
                IngressServiceBackend backend = path.getBackend() == null ? null : path.getBackend().getService();
                if (backend == null) {
                    problem(r, "path " + path.getPath() + " needs a service backend");
                    continue;
                }
                Optional<Service> service = typedOf(Service.class, r.namespace())
                        .filter(e -> e.getKey().name().equals(backend.getName())).map(e -> (Service) e.getValue()).findFirst();
                if (service.isEmpty()) {
                    problem(r, "path " + path.getPath() + " routes to Service " + backend.getName() + ", which is not rendered");
                    continue;
                }
                var port = backend.getPort();
                boolean found = port != null && service.get().getSpec().getPorts().stream().anyMatch(p ->
                        (port.getName() != null && port.getName().equals(p.getName()))
                                || (port.getNumber() != null && port.getNumber().equals(p.getPort())));
                if (!found) {
                    problem(r, "path " + path.getPath() + " routes to a port Service " + backend.getName() + " does not have");
                }
            }
        }
    }

    private void checkNetworkPolicy(Resource r, NetworkPolicy np) {
        Map<Resource, PodTemplateSpec> pods = podTemplates(r.namespace());
        LabelSelector target = np.getSpec() == null ? null : np.getSpec().getPodSelector();
        if (target == null || pods.values().stream().noneMatch(t -> matches(target, labelsOf(t)))) {
            problem(r, "podSelector selects no pod template");
        }
        if (np.getSpec() == null || np.getSpec().getIngress() == null) {
            return;
        }
        for (NetworkPolicyIngressRule rule : np.getSpec().getIngress()) {
            for (NetworkPolicyPeer peer : rule.getFrom() == null ? List.<NetworkPolicyPeer>of() : rule.getFrom()) {
                checkPeer(r, peer, pods);
            }
        }
    }

    /** A peer in this namespace must select something: a typo in a label would silently cut a client off. */
    private void checkPeer(Resource r, NetworkPolicyPeer peer, Map<Resource, PodTemplateSpec> pods) {
        if (peer.getNamespaceSelector() == null && peer.getPodSelector() != null) {
            for (LabelSelectorRequirement req : Optional.ofNullable(peer.getPodSelector().getMatchExpressions()).orElse(List.of())) {
                if ("In".equals(req.getOperator())) {
                    for (String value : req.getValues()) {
                        if (pods.values().stream().noneMatch(t -> value.equals(labelsOf(t).get(req.getKey())))) {
                            problem(r, "peer " + req.getKey() + "=" + value + " selects no pod template");
                        }
                    }
                }
            }
            if (pods.values().stream().noneMatch(t -> matches(peer.getPodSelector(), labelsOf(t)))) {
                problem(r, "peer podSelector selects no pod template");
            }
        }
    }

    /** Whether {@code selector} selects pods labelled {@code labels}. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchLabels() != null && !labels.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
            return false;
        }
        for (LabelSelectorRequirement req : Optional.ofNullable(selector.getMatchExpressions()).orElse(List.of())) {
            String value = labels.get(req.getKey());
            List<String> values = req.getValues() == null ? List.of() : req.getValues();
            boolean ok = switch (req.getOperator()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    // ---- custom resources across objects ----

    private Optional<Resource> find(String kind, String namespace, String name) {
        return resources.stream().filter(r -> r.kind().equals(kind) && r.namespace().equals(namespace)
                && r.name().equals(name)).findFirst();
    }

    private void checkStrimzi(Resource r) {
        if (r.kind().equals("Kafka")) {
            int brokers = 0;
            int controllers = 0;
            for (Resource pool : resources) {
                if (pool.kind().equals("KafkaNodePool") && pool.namespace().equals(r.namespace())
                        && r.name().equals(pool.labels().path("strimzi.io/cluster").asText())) {
                    int replicas = pool.body().path("spec").path("replicas").asInt(0);
                    for (JsonNode role : pool.body().path("spec").path("roles")) {
                        brokers += role.asText().equals("broker") ? replicas : 0;
                        controllers += role.asText().equals("controller") ? replicas : 0;
                    }
                }
            }
            if (brokers == 0 || controllers == 0) {
                problem(r, "KRaft needs KafkaNodePools with brokers and controllers for this cluster (found "
                        + brokers + " brokers, " + controllers + " controllers)");
                return;
            }
            if (controllers % 2 == 0) {
                problem(r, controllers + " controllers: a KRaft quorum needs an odd number");
            }
            JsonNode config = r.body().path("spec").path("kafka").path("config");
            for (String key : List.of("default.replication.factor", "offsets.topic.replication.factor",
                    "transaction.state.log.replication.factor")) {
                if (config.has(key) && config.get(key).asInt() > brokers) {
                    problem(r, key + " " + config.get(key).asInt() + " exceeds the " + brokers + " brokers");
                }
            }
            check(r, config, "min.insync.replicas", "default.replication.factor");
            check(r, config, "transaction.state.log.min.isr", "transaction.state.log.replication.factor");
            int brokerCount = brokers;
            resources.stream().filter(t -> t.kind().equals("KafkaTopic") && t.namespace().equals(r.namespace())
                            && r.name().equals(t.labels().path("strimzi.io/cluster").asText()))
                    .filter(t -> t.body().path("spec").path("replicas").asInt(0) > brokerCount)
                    .forEach(t -> problem(t, "replicas " + t.body().path("spec").path("replicas").asInt()
                            + " exceed the " + brokerCount + " brokers of Kafka " + r.name()));
        } else {
            String cluster = r.labels().path("strimzi.io/cluster").asText("");
            if (cluster.isEmpty()) {
                problem(r, "label strimzi.io/cluster (the Kafka it belongs to) is required");
            } else if (find("Kafka", r.namespace(), cluster).isEmpty()) {
                problem(r, "label strimzi.io/cluster names Kafka " + cluster + ", which is not rendered in " + r.namespace());
            }
        }
    }

    private void check(Resource r, JsonNode config, String isrKey, String factorKey) {
        if (config.has(isrKey) && config.has(factorKey) && config.get(isrKey).asInt() > config.get(factorKey).asInt()) {
            problem(r, isrKey + " " + config.get(isrKey).asInt() + " exceeds " + factorKey + " " + config.get(factorKey).asInt()
                    + ": every write would fail");
        }
    }

    private void checkScaledObject(Resource r) {
        JsonNode spec = r.body().path("spec");
        String target = spec.path("scaleTargetRef").path("name").asText("");
        String kind = spec.path("scaleTargetRef").path("kind").asText("Deployment");
        Optional<Resource> workload = find(kind, r.namespace(), target);
        if (workload.isEmpty()) {
            problem(r, "scaleTargetRef " + kind + "/" + target + " is not rendered in " + r.namespace());
        } else if (workload.get().body().path("spec").has("replicas")) {
            problem(r, workload.get().ref() + " sets spec.replicas: every kubectl apply would fight the autoscaler");
        }
        int min = spec.path("minReplicaCount").asInt(0);
        int max = spec.path("maxReplicaCount").asInt(100);
        if (min > max) {
            problem(r, "minReplicaCount " + min + " exceeds maxReplicaCount " + max);
        }
        for (JsonNode trigger : spec.path("triggers")) {
            if (!"kafka".equals(trigger.path("type").asText())) {
                continue;
            }
            JsonNode meta = trigger.path("metadata");
            String topic = meta.path("topic").asText("");
            if (!topic.isEmpty() && resources.stream().noneMatch(t -> t.kind().equals("KafkaTopic")
                    && topic.equals(t.body().path("spec").path("topicName").asText(t.name())))) {
                problem(r, "trigger topic " + topic + " is no KafkaTopic here");
            }
            // KEDA's operator runs in another namespace: only a fully qualified Service name resolves there.
            for (String server : meta.path("bootstrapServers").asText("").split(",")) {
                String host = server.strip().replaceAll(":\\d+$", "");
                boolean known = resources.stream().filter(k -> k.kind().equals("Kafka")).anyMatch(k ->
                        host.equals(k.name() + "-kafka-bootstrap." + k.namespace() + ".svc")
                                || host.equals(k.name() + "-kafka-bootstrap." + k.namespace() + ".svc.cluster.local"));
                if (!known) {
                    problem(r, "bootstrapServers " + server.strip() + " is not <kafka>-kafka-bootstrap.<namespace>.svc of a"
                            + " rendered Kafka (KEDA resolves it from its own namespace)");
                }
            }
        }
    }

    /** Counts of rendered objects by kind, for messages and tests. */
    public static Map<String, Integer> countByKind(List<Resource> resources) {
        Map<String, Integer> counts = new HashMap<>();
        resources.forEach(r -> counts.merge(r.kind(), 1, Integer::sum));
        return counts;
    }
}
