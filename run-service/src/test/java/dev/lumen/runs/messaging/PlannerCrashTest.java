package dev.lumen.runs.messaging;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.DatasetRef;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.ImageTask;
import dev.lumen.contracts.ModelRef;
import dev.lumen.contracts.RunRequested;
import dev.lumen.contracts.Topics;
import dev.lumen.runs.testing.TestData;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import dev.lumen.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * All-or-nothing planning: a planner that dies in the middle of a run's transaction leaves no task a
 * read_committed consumer (a worker) could see, and the planner that takes over plans the run fully,
 * exactly once. The planning logic is run-service's own ({@link RunPlanningConsumer#outgoingFor});
 * a plain transactional producer stands in for SmallRye's so that the test can stop it mid-way. The
 * request comes from a private topic so that the service's own planner does not plan it too.
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class PlannerCrashTest {

    private static final int IMAGES = 5;

    @Inject
    RunPlanningConsumer planning;

    @Inject
    EventCodec codec;

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aPlannerKilledMidTransactionLeavesNoVisibleTaskAndItsSuccessorPlansTheRunOnce() throws Exception {
        String tenant = TestData.tenant();
        TestData.model(store, "cls-" + tenant, "classification", tenant);
        String dataset = TestData.dataset(tenant, "eight", 8);
        String suffix = UUID.randomUUID().toString();
        String requestTopic = "crash-test-requests-" + suffix;
        String group = "crash-test-planner-" + suffix;
        String transactionalId = "crash-test-planner-" + suffix;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(requestTopic, 1, (short) 1))).all().get();
        }
        String runId = "run-crash-" + suffix;
        RunRequested request = new RunRequested(runId, tenant, "crash", "gradcam", new ModelRef("cls-" + tenant),
                new DatasetRef(dataset), IMAGES, 3L, null, Map.of());
        TopicProbe probe = new TopicProbe(bootstrap);
        probe.publish(requestTopic, runId, codec.encode(CloudEvent.of("/test", EventTypes.RUN_REQUESTED, runId, request)));

        // ---- the first planner: consumes the request, sends part of the tasks, dies before committing.
        KafkaProducer<String, byte[]> doomed = producer(transactionalId);
        try (KafkaConsumer<String, byte[]> consumer = consumer(group, "read_committed")) {
            consumer.subscribe(List.of(requestTopic));
            ConsumerRecord<String, byte[]> consumed = pollOne(consumer);
            List<RunPlanningConsumer.Outgoing> tasks = plan(consumed);
            assertThat(tasks).hasSize(IMAGES);
            doomed.initTransactions();
            doomed.beginTransaction();
            for (RunPlanningConsumer.Outgoing task : tasks.subList(0, 3)) {
                doomed.send(new ProducerRecord<>(task.topic(), task.key(), task.value()));
            }
            doomed.flush();
        }
        // A crash: no commit, no abort, the process is simply gone.
        doomed.close(Duration.ZERO);

        // The tasks are in the log, but no read_committed consumer can see them.
        assertThat(tasksOf(runId, "read_uncommitted", Duration.ofSeconds(10), 3)).hasSize(3);
        assertThat(tasksOf(runId, "read_committed", Duration.ofSeconds(4), Integer.MAX_VALUE)).isEmpty();

        // ---- the restarted planner: same transactional id (fences the dead one and aborts its
        // transaction), same group (the request's offset was never committed, so it comes again).
        try (KafkaProducer<String, byte[]> successor = producer(transactionalId);
             KafkaConsumer<String, byte[]> consumer = consumer(group, "read_committed")) {
            successor.initTransactions();
            consumer.subscribe(List.of(requestTopic));
            ConsumerRecord<String, byte[]> consumed = pollOne(consumer);
            List<RunPlanningConsumer.Outgoing> tasks = plan(consumed);
            successor.beginTransaction();
            for (RunPlanningConsumer.Outgoing task : tasks) {
                successor.send(new ProducerRecord<>(task.topic(), task.key(), task.value()));
            }
            successor.sendOffsetsToTransaction(Map.of(new TopicPartition(consumed.topic(), consumed.partition()),
                    new OffsetAndMetadata(consumed.offset() + 1)), consumer.groupMetadata());
            successor.commitTransaction();
        }

        // Exactly one full plan is visible: every sampled image once, none of the aborted copies.
        List<ImageTask> visible = tasksOf(runId, "read_committed", Duration.ofSeconds(20), IMAGES);
        assertThat(visible).hasSize(IMAGES);
        assertThat(visible).extracting(ImageTask::imageId).doesNotHaveDuplicates();
        assertThat(visible).extracting(ImageTask::imageIndex).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        assertThat(visible).extracting(ImageTask::imageTotal).containsOnly(IMAGES);
        // Even read without isolation the aborted copies are there, but they never count.
        assertThat(tasksOf(runId, "read_uncommitted", Duration.ofSeconds(5), IMAGES + 3)).hasSize(IMAGES + 3);

        // A third start finds the request planned: its offset committed with the tasks.
        try (KafkaConsumer<String, byte[]> consumer = consumer(group, "read_committed")) {
            consumer.subscribe(List.of(requestTopic));
            List<ConsumerRecord<String, byte[]>> again = new ArrayList<>();
            Instant deadline = Instant.now().plusSeconds(6);
            while (Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(300)).forEach(again::add);
            }
            assertThat(again).isEmpty();
        }
        assertThat(tasksOf(runId, "read_committed", Duration.ofSeconds(3), Integer.MAX_VALUE)).hasSize(IMAGES);
    }

    private List<RunPlanningConsumer.Outgoing> plan(ConsumerRecord<String, byte[]> consumed) {
        return planning.outgoingFor(consumed.topic(), consumed.partition(), consumed.offset(), consumed.key(),
                consumed.value(), new ArrayList<>());
    }

    /** The run's tasks a consumer with {@code isolation} sees within {@code wait} (stops early at {@code enough}). */
    private List<ImageTask> tasksOf(String runId, String isolation, Duration wait, int enough) {
        List<ImageTask> tasks = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(null, isolation)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.IMAGE_TASKS).stream()
                    .map(p -> new TopicPartition(Topics.IMAGE_TASKS, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plus(wait);
            while (Instant.now().isBefore(deadline) && tasks.size() < enough) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    if (record.key() != null && record.key().startsWith(runId + "/")) {
                        tasks.add(codec.decode(record.value(), EventTypes.IMAGE_TASK, ImageTask.class).data());
                    }
                }
            }
        }
        return tasks;
    }

    private static ConsumerRecord<String, byte[]> pollOne(KafkaConsumer<String, byte[]> consumer) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                return record;
            }
        }
        throw new AssertionError("the run request did not arrive");
    }

    private KafkaProducer<String, byte[]> producer(String transactionalId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // Should the successor never come, the broker aborts the orphan transaction by itself.
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 20_000);
        return new KafkaProducer<>(props);
    }

    private KafkaConsumer<String, byte[]> consumer(String group, String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(props);
    }
}
