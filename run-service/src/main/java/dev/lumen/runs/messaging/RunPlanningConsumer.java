package dev.lumen.runs.messaging;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.DeadLetter;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.ImageTask;
import dev.lumen.contracts.InvalidEventException;
import dev.lumen.contracts.RunCancelled;
import dev.lumen.contracts.RunDeleted;
import dev.lumen.contracts.RunRequested;
import dev.lumen.contracts.Topics;
import dev.lumen.runs.config.RunServiceConfig;
import dev.lumen.runs.domain.RunMetrics;
import dev.lumen.runs.domain.RunPlanner;
import dev.lumen.service.messaging.ConsumerRetry;
import dev.lumen.service.messaging.DeadLetters;
import dev.lumen.service.rest.ProblemException;
import dev.lumen.service.tracing.EventTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans every run request on {@code lumen.run-requests}, whoever published it: samples the images and
 * publishes one task per image. The tasks and the consumed offset commit in one Kafka transaction, so a
 * crash leaves either the whole run planned or nothing visible to read_committed consumers, and a
 * request is never planned twice. Requests that cannot be planned go to the dead letters, in the same
 * kind of transaction, so they never block the partition. Cancellations and deletions on the same
 * topic only move the offset on: workers skip a cancelled run's tasks themselves.
 *
 * <p>Planning reads the dataset from object storage: an outage is retried until it ends
 * ({@link ConsumerRetry}, health DEGRADED meanwhile), and a request whose planning keeps failing for a
 * reason of its own goes to the dead letters. A failed transaction (the broker gone mid-commit) is
 * aborted and the request redelivered from the last committed offset.
 */
@ApplicationScoped
public class RunPlanningConsumer {

    private static final Logger LOG = Logger.getLogger(RunPlanningConsumer.class);
    private static final String CONSUMER = "run-service/run-planner";
    private static final int REMEMBERED_RUNS = 10_000;

    private final KafkaTransactions<byte[]> transactions;
    private final EventCodec codec;
    private final RunPlanner planner;
    private final RunServiceConfig config;
    private final ConsumerRetry retry;
    private final RunMetrics metrics;
    private final EventTracing tracing;
    /**
     * Runs planned lately. A run request republished under the same run id (a client retrying with its
     * Idempotency-Key after a crash between publishing and recording it) is a redelivery, not a new run.
     */
    private final Set<String> recentlyPlanned = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>(256, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED_RUNS;
                }
            }));

    public RunPlanningConsumer(@Channel("planned-out") KafkaTransactions<byte[]> transactions, EventCodec codec,
                               RunPlanner planner, RunServiceConfig config, ConsumerRetry retry, RunMetrics metrics,
                               EventTracing tracing) {
        this.tracing = tracing;
        this.retry = retry;
        this.metrics = metrics;
        this.transactions = transactions;
        this.codec = codec;
        this.planner = planner;
        this.config = config;
    }

    /**
     * A record to publish in the planning transaction.
     *
     * @param topic destination
     * @param key record key
     * @param value the encoded event
     */
    public record Outgoing(String topic, String key, byte[] value) {
    }

    /**
     * What planning one consumed record publishes: a run's tasks, one dead letter, or nothing. The
     * SmallRye consumer below and the crash test (with a plain transactional producer) share it.
     *
     * @param runId receives the planned run id (one element) when the record was a plannable request
     */
    public List<Outgoing> outgoingFor(String topic, int partition, long offset, String key, byte[] value,
                                      List<String> runId) {
        try {
            String type = codec.typeOf(value).orElse(null);
            if (EventTypes.RUN_CANCELLED.equals(type) || EventTypes.RUN_DELETED.equals(type)) {
                // Validated so that a malformed one still becomes a dead letter.
                Class<?> dataType = EventTypes.RUN_CANCELLED.equals(type) ? RunCancelled.class : RunDeleted.class;
                codec.decode(value, type, dataType);
                return List.of();
            }
            CloudEvent<RunRequested> event = codec.decode(value, EventTypes.RUN_REQUESTED, RunRequested.class);
            RunRequested request = withTenant(event.data());
            if (recentlyPlanned.contains(request.runId())) {
                LOG.infof("run %s: already planned; the repeated request is ignored", request.runId());
                return List.of();
            }
            Span span = tracing.startHandling("lumen.plan-run", topic, event)
                    .setAttribute(EventTracing.Attributes.METHOD, request.method())
                    .setAttribute(EventTracing.Attributes.MODEL, request.model().id());
            try (Scope ignored = span.makeCurrent()) {
                RunPlanner.Plan plan = planner.plan(request);
                List<ImageTask> tasks = planner.tasks(request, plan);
                List<Outgoing> out = new ArrayList<>(tasks.size());
                for (ImageTask task : tasks) {
                    out.add(new Outgoing(Topics.IMAGE_TASKS, Topics.imageTaskKey(task.runId(), task.imageId()),
                            codec.encode(taskEvent(task))));
                }
                span.setAttribute(EventTracing.Attributes.IMAGES, tasks.size());
                runId.add(request.runId());
                LOG.infof("run %s: planned %d image tasks (seed %d)%s", request.runId(), tasks.size(), plan.seed(),
                        plan.warnings().isEmpty() ? "" : " " + plan.warnings());
                return out;
            } catch (RuntimeException e) {
                EventTracing.failed(span, e);
                throw e;
            } finally {
                span.end();
            }
        } catch (InvalidEventException | ProblemException e) {
            LOG.warnf("run request at %s-%d@%d rejected: %s", topic, partition, offset, e.getMessage());
            return List.of(deadLetter(topic, partition, offset, key, value, e.getMessage()));
        }
    }

    /**
     * The event of one image task, carrying the context of a span of its own: the image's branch of the
     * run's trace, under which the worker explains it and results-service stores it.
     */
    private CloudEvent<ImageTask> taskEvent(ImageTask task) {
        Span image = tracing.span("lumen.image-task").setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", Topics.IMAGE_TASKS)
                .setAttribute(EventTracing.Attributes.RUN_ID, task.runId())
                .setAttribute(EventTracing.Attributes.IMAGE_ID, task.imageId())
                .setAttribute(EventTracing.Attributes.METHOD, task.method())
                .setAttribute(EventTracing.Attributes.MODEL, task.model().id())
                .startSpan();
        try {
            return tracing.stamped(CloudEvent.of(config.eventSource(), EventTypes.IMAGE_TASK, task.runId(), task),
                    Context.current().with(image));
        } finally {
            image.end();
        }
    }

    /** Notes that a run's plan committed, so that a repeated request for it is not planned again. */
    public void planned(String runId) {
        recentlyPlanned.add(runId);
    }

    @Incoming("run-requests-in")
    @Blocking
    public Uni<Void> plan(KafkaRecord<String, byte[]> record) {
        List<String> runId = new ArrayList<>(1);
        long offset = DeadLetters.offsetOf(record);
        ConsumerRetry.Handled<List<Outgoing>> planned = retry.handle(CONSUMER, () -> {
            runId.clear();
            return outgoingFor(record.getTopic(), record.getPartition(), offset, record.getKey(), record.getPayload(),
                    runId);
        });
        List<Outgoing> out = planned.gaveUp()
                ? List.of(deadLetter(record.getTopic(), record.getPartition(), offset, record.getKey(),
                        record.getPayload(), planned.reason()))
                : planned.value();
        List<Message<byte[]>> messages = out.stream().map(RunPlanningConsumer::message).toList();
        boolean rejected = runId.isEmpty() && out.stream().anyMatch(o -> Topics.DEAD_LETTERS.equals(o.topic()));
        return transactions.withTransactionAndAck(record, tx -> {
            messages.forEach(tx::send);
            return Uni.createFrom().voidItem();
        }).invoke(() -> {
            runId.forEach(this::planned);
            if (!runId.isEmpty()) {
                metrics.planned(out.size());
            } else if (rejected) {
                metrics.rejected();
            }
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

    private Outgoing deadLetter(String topic, int partition, long offset, String key, byte[] value, String reason) {
        DeadLetter letter = DeadLetters.letter(CONSUMER, topic, partition, offset, key, reason, value);
        CloudEvent<DeadLetter> event = CloudEvent.of(config.eventSource(), EventTypes.DEAD_LETTER,
                key == null ? "unknown" : key, letter);
        return new Outgoing(Topics.DEAD_LETTERS, key, codec.encode(event));
    }

    private static Message<byte[]> message(Outgoing out) {
        return Message.of(out.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(out.topic()).withKey(out.key()).build());
    }
}
