package dev.lumen.worker.messaging;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.ImageTask;
import dev.lumen.contracts.InvalidEventException;
import dev.lumen.service.messaging.ConsumerRetry;
import dev.lumen.service.messaging.DeadLetters;
import dev.lumen.worker.config.WorkerConfig;
import dev.lumen.worker.domain.ImageTaskProcessor;
import dev.lumen.worker.domain.WorkerMetrics;
import dev.lumen.contracts.Topics;
import dev.lumen.service.tracing.EventTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * Consumes {@code lumen.image-tasks}: explains the image and publishes its result on
 * {@code lumen.image-results}. The task's offset is acknowledged only after the broker has the result,
 * so a worker killed mid-image loses nothing: the task is redelivered (results-service deduplicates).
 *
 * <p>Explaining and publishing run through {@link ConsumerRetry}: object storage down while the model or
 * the image is fetched, or the broker down while the result is published, holds the task (health
 * DEGRADED) until the dependency is back. A task that keeps failing for a reason of its own is
 * dead-lettered and its image reported FAILED with that reason, so its run still completes.
 */
@ApplicationScoped
public class ImageTaskConsumer {

    private static final String CONSUMER = "worker-service/image-tasks";

    private final ImageTaskProcessor processor;
    private final MutinyEmitter<byte[]> results;
    private final EventCodec codec;
    private final DeadLetters deadLetters;
    private final WorkerConfig config;
    private final ConsumerRetry retry;
    private final WorkerMetrics metrics;
    private final EventTracing tracing;

    public ImageTaskConsumer(ImageTaskProcessor processor, @Channel("image-results-out") MutinyEmitter<byte[]> results,
                             EventCodec codec, DeadLetters deadLetters, WorkerConfig config, ConsumerRetry retry,
                             WorkerMetrics metrics, EventTracing tracing) {
        this.tracing = tracing;
        this.processor = processor;
        this.results = results;
        this.codec = codec;
        this.deadLetters = deadLetters;
        this.config = config;
        this.retry = retry;
        this.metrics = metrics;
    }

    @Incoming("image-tasks-in")
    @Blocking
    public CompletionStage<Void> consume(KafkaRecord<String, byte[]> record) {
        CloudEvent<ImageTask> event;
        try {
            event = codec.decode(record.getPayload(), EventTypes.IMAGE_TASK, ImageTask.class);
        } catch (InvalidEventException e) {
            deadLetters.send(CONSUMER, record, e.getMessage());
            return record.ack();
        }
        ImageTask task = event.data();
        Span span = tracing.startHandling("lumen.explain", Topics.IMAGE_TASKS, event)
                .setAttribute(EventTracing.Attributes.IMAGE_ID, task.imageId())
                .setAttribute(EventTracing.Attributes.METHOD, task.method())
                .setAttribute(EventTracing.Attributes.MODEL, task.model().id());
        try (Scope ignored = span.makeCurrent()) {
            ImageResult result = explainAndPublish(record, task);
            span.setAttribute(EventTracing.Attributes.OUTCOME, result.outcome().name());
            if (result.timing() != null) {
                span.setAttribute(EventTracing.Attributes.FORWARD_PASSES, result.timing().forwardPasses());
            }
        } catch (RuntimeException e) {
            EventTracing.failed(span, e);
            throw e;
        } finally {
            span.end();
        }
        return record.ack();
    }

    /** Explains the task and publishes its result (or a failure that can be published); returns what went out. */
    private ImageResult explainAndPublish(KafkaRecord<String, byte[]> record, ImageTask task) {
        metrics.batch(1);
        ConsumerRetry.Handled<ImageResult> explained = retry.handle(CONSUMER, () -> processor.process(task));
        ImageResult result = explained.value();
        if (explained.gaveUp()) {
            deadLetters.send(CONSUMER, record, explained.reason());
            result = processor.failed(task, explained.reason());
        }
        ConsumerRetry.Handled<Void> published = publish(task, result);
        if (published.gaveUp()) {
            // The result itself cannot be published (e.g. too large): say so with a result that can.
            deadLetters.send(CONSUMER, record, published.reason());
            result = processor.failed(task, WorkerMetrics.NOT_PUBLISHED_PREFIX + published.reason());
            published = publish(task, result);
        }
        if (!published.gaveUp()) {
            metrics.imageDone(result);
        }
        return result;
    }

    private ConsumerRetry.Handled<Void> publish(ImageTask task, ImageResult result) {
        // The result continues the image's trace from this explain span.
        byte[] value = codec.encode(tracing.stamped(
                CloudEvent.of(config.eventSource(), EventTypes.IMAGE_RESULT, task.runId(), result)));
        return retry.handle(CONSUMER, () -> {
            results.sendMessageAndAwait(Message.of(value).addMetadata(
                    OutgoingKafkaRecordMetadata.<String>builder().withKey(task.runId()).build()));
            return null;
        });
    }
}
