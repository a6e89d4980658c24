package dev.lumen.testing;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * A plain Kafka client for tests, independent of the services: reads whole topics (read_committed, as
 * an outside consumer would) and publishes raw records.
 */
public final class TopicProbe {

    private final String bootstrapServers;

    public TopicProbe(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Total number of committed-or-not records in the topic (sum of end offsets). */
    public long endOffsetSum(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * The end offsets of {@code topics} once none has changed for two seconds (earlier work may still be
     * publishing): what a test compares before and after requests that must publish nothing.
     */
    public Map<String, Long> settledEndOffsets(java.util.Collection<String> topics) throws InterruptedException {
        Map<String, Long> previous = endOffsets(topics);
        while (true) {
            Thread.sleep(2000);
            Map<String, Long> now = endOffsets(topics);
            if (now.equals(previous)) {
                return now;
            }
            previous = now;
        }
    }

    private Map<String, Long> endOffsets(java.util.Collection<String> topics) {
        Map<String, Long> offsets = new java.util.LinkedHashMap<>();
        for (String topic : topics) {
            offsets.put(topic, endOffsetSum(topic));
        }
        return offsets;
    }

    /** Every committed record of the topic at the time of the call. */
    public List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            Instant deadline = Instant.now().plusSeconds(30);
            while (!reached(consumer, ends) && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** Reads the topic again and again until {@code done} accepts what it holds, or fails after {@code timeout}. */
    public List<ConsumerRecord<String, byte[]>> awaitRecords(String topic, Predicate<List<ConsumerRecord<String, byte[]>>> done,
                                                             Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        List<ConsumerRecord<String, byte[]>> records = readAll(topic);
        while (!done.test(records)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("topic " + topic + " did not reach the expected content within " + timeout
                        + "; it holds " + records.size() + " records");
            }
            sleep(300);
            records = readAll(topic);
        }
        return records;
    }

    /** Publishes one record and waits for the broker's acknowledgement. */
    public void publish(String topic, String key, byte[] value) {
        publishAll(topic, List.of(Map.entry(key, value)));
    }

    /**
     * Publishes records in one produce request (the producer lingers until it has them all) and waits
     * for the broker's acknowledgement: a consumer's next poll sees them together, as it sees a backlog.
     */
    public void publishAll(String topic, List<Map.Entry<String, byte[]>> records) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, records.size() > 1 ? "1000" : "0");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            List<Future<?>> sent = new ArrayList<>();
            for (Map.Entry<String, byte[]> record : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, record.getKey(), record.getValue())));
            }
            producer.flush();
            for (Future<?> ack : sent) {
                ack.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic + ": " + e.getMessage(), e);
        }
    }

    private boolean reached(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> ends) {
        // With read_committed, transaction markers occupy offsets: position() passes them, so compare positions.
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props);
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
