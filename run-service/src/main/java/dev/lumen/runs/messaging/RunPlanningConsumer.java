package dev.lumen.runs.messaging;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.DeadLetter;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.ImageTask;
import dev.lumen.contracts.InvalidEventException;
import dev.lumen.contracts.RunRequested;
import dev.lumen.contracts.Topics;
import dev.lumen.runs.config.RunServiceConfig;
import dev.lumen.runs.domain.RunPlanner;
import dev.lumen.service.messaging.DeadLetters;
import dev.lumen.service.rest.ProblemException;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * Plans every run request on {@code lumen.run-requests}, whoever published it: samples the images and
 * publishes one task per image. The tasks and the consumed offset commit in one Kafka transaction, so a
 * crash leaves either the whole run planned or nothing visible to read_committed consumers, and a
 * request is never planned twice. Requests that cannot be planned go to the dead letters, in the same
 * kind of transaction, so they never block the partition.
 */
@ApplicationScoped
public class RunPlanningConsumer {

    private static final Logger LOG = Logger.getLogger(RunPlanningConsumer.class);
    private static final String CONSUMER = "run-service/run-planner";

    private final KafkaTransactions<byte[]> transactions;
    private final EventCodec codec;
    private final RunPlanner planner;
    private final RunServiceConfig config;

    public RunPlanningConsumer(@Channel("planned-out") KafkaTransactions<byte[]> transactions, EventCodec codec,
                               RunPlanner planner, RunServiceConfig config) {
        this.transactions = transactions;
        this.codec = codec;
        this.planner = planner;
        this.config = config;
    }

    @Incoming("run-requests-in")
    @Blocking
    public Uni<Void> plan(KafkaRecord<String, byte[]> record) {
        List<Message<byte[]>> out;
        try {
            CloudEvent<RunRequested> event = codec.decode(record.getPayload(), EventTypes.RUN_REQUESTED,
                    RunRequested.class);
            RunRequested request = withTenant(event.data());
            RunPlanner.Plan plan = planner.plan(request);
            List<ImageTask> tasks = planner.tasks(request, plan);
            out = new ArrayList<>(tasks.size());
            for (ImageTask task : tasks) {
                CloudEvent<ImageTask> taskEvent = CloudEvent.of(config.eventSource(), EventTypes.IMAGE_TASK,
                        task.runId(), task);
                out.add(to(Topics.IMAGE_TASKS, Topics.imageTaskKey(task.runId(), task.imageId()),
                        codec.encode(taskEvent)));
            }
            LOG.infof("run %s: planned %d image tasks (seed %d)%s", request.runId(), tasks.size(), plan.seed(),
                    plan.warnings().isEmpty() ? "" : " " + plan.warnings());
        } catch (InvalidEventException | ProblemException e) {
            LOG.warnf("run request at %s-%d@%d rejected: %s", record.getTopic(), record.getPartition(),
                    DeadLetters.offsetOf(record), e.getMessage());
            out = List.of(deadLetter(record, e.getMessage()));
        }
        List<Message<byte[]>> messages = out;
        return transactions.withTransactionAndAck(record, tx -> {
            messages.forEach(tx::send);
            return Uni.createFrom().voidItem();
        });
    }

    private RunRequested withTenant(RunRequested request) {
        if (request.tenant() != null && !request.tenant().isBlank()) {
            return request;
        }
        return new RunRequested(request.runId(), config.defaultTenant(), request.name(), request.method(),
                request.model(), request.dataset(), request.imageCount(), request.seed(), request.allowFewer(),
                request.parameters());
    }

    private Message<byte[]> deadLetter(KafkaRecord<String, byte[]> record, String reason) {
        DeadLetter letter = DeadLetters.letter(CONSUMER, record.getTopic(), record.getPartition(),
                DeadLetters.offsetOf(record), record.getKey(), reason, record.getPayload());
        CloudEvent<DeadLetter> event = CloudEvent.of(config.eventSource(), EventTypes.DEAD_LETTER,
                record.getKey() == null ? "unknown" : record.getKey(), letter);
        return to(Topics.DEAD_LETTERS, record.getKey(), codec.encode(event));
    }

    private static Message<byte[]> to(String topic, String key, byte[] value) {
        return Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic).withKey(key).build());
    }
}
