package dev.lumen.devstack;

import dev.lumen.contracts.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A plain Kafka client's view of a devstack broker, for the tests. */
final class KafkaProbe {

    private final String bootstrapServers;

    KafkaProbe(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Topic name to partition count, for the contract topics. */
    Map<String, Integer> partitionCounts() throws Exception {
        try (Admin admin = admin()) {
            return admin.describeTopics(Topics.ALL.stream().map(Topics.TopicSpec::name).toList())
                    .allTopicNames().get(20, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().partitions().size()));
        }
    }

    /** Topic name to {@code cleanup.policy}, for the contract topics. */
    Map<String, String> cleanupPolicies() throws Exception {
        try (Admin admin = admin()) {
            List<ConfigResource> resources = Topics.ALL.stream()
                    .map(spec -> new ConfigResource(ConfigResource.Type.TOPIC, spec.name())).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(20, TimeUnit.SECONDS);
            return configs.entrySet().stream().collect(Collectors.toMap(
                    entry -> entry.getKey().name(),
                    entry -> entry.getValue().get(TopicConfig.CLEANUP_POLICY_CONFIG).value()));
        }
    }

    /** Sends one record per topic and waits for every acknowledgement. */
    void produce(Map<String, String> valueByTopic, String key) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
            valueByTopic.forEach((topic, value) -> sends.add(producer.send(new ProducerRecord<>(topic, key, value))));
            for (java.util.concurrent.Future<?> send : sends) {
                send.get(20, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Reads the given topics from the beginning until {@code expectedRecords} records arrived or
     * 20 s passed; returns topic to key to value.
     */
    Map<String, Map<String, String>> readAll(Collection<String> topics, int expectedRecords) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Map<String, String>> values = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            // Assigned partitions, not a group: no rebalance to wait for.
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int seen = 0;
            while (seen < expectedRecords && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.computeIfAbsent(record.topic(), topic -> new HashMap<>()).put(record.key(), record.value());
                    seen++;
                }
            }
        }
        return values;
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }
}
