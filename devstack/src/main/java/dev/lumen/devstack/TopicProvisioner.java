package dev.lumen.devstack;

import dev.lumen.contracts.Topics;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Brings the broker's topics in line with {@link Topics#ALL}: creates the missing ones, and for
 * existing ones (a data dir from an earlier run) adds missing partitions and sets the cleanup
 * policy. Running it twice changes nothing.
 */
final class TopicProvisioner {

    private static final long TIMEOUT_SECONDS = 30;

    private TopicProvisioner() {
    }

    static void ensureTopics(String bootstrapServers, Collection<Topics.TopicSpec> specs) throws Exception {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "lumen-devstack"))) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = specs.stream()
                    .filter(spec -> !existing.contains(spec.name()))
                    .map(spec -> new NewTopic(spec.name(), spec.partitions(), (short) 1)
                            .configs(configs(spec)))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            List<Topics.TopicSpec> present = specs.stream().filter(spec -> existing.contains(spec.name())).toList();
            if (!present.isEmpty()) {
                reconcile(admin, present);
            }
        }
    }

    private static void reconcile(Admin admin, List<Topics.TopicSpec> specs) throws Exception {
        Map<String, TopicDescription> descriptions = admin
                .describeTopics(specs.stream().map(Topics.TopicSpec::name).toList())
                .allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<String, NewPartitions> growth = specs.stream()
                .filter(spec -> descriptions.get(spec.name()).partitions().size() < spec.partitions())
                .collect(Collectors.toMap(Topics.TopicSpec::name, spec -> NewPartitions.increaseTo(spec.partitions())));
        if (!growth.isEmpty()) {
            admin.createPartitions(growth).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        Map<ConfigResource, Collection<AlterConfigOp>> policies = specs.stream().collect(Collectors.toMap(
                spec -> new ConfigResource(ConfigResource.Type.TOPIC, spec.name()),
                spec -> configs(spec).entrySet().stream()
                        .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                        .toList()));
        admin.incrementalAlterConfigs(policies).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** The topic configs a spec sets: its cleanup policy, and its retention when it has its own. */
    static Map<String, String> configs(Topics.TopicSpec spec) {
        return spec.retentionMs() == null ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy(spec))
                : Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy(spec),
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(spec.retentionMs()));
    }

    static String cleanupPolicy(Topics.TopicSpec spec) {
        return spec.compacted() ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE;
    }
}
