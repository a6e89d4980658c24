package dev.lumen.worker.messaging;

import dev.lumen.catalogue.Family;
import dev.lumen.catalogue.MethodCatalogue;
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
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Consumes {@code lumen.image-tasks} a poll at a time: explains the images and publishes their results on
 * {@code lumen.image-results}. A poll's offsets are acknowledged only after the broker has every one of
 * its results, so a worker killed mid-poll loses nothing: the poll is redelivered (results-service
 * deduplicates).
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

    /**
     * Handles one poll's tasks (at most {@link WorkerConfig#batchSize()}): tasks of one run, model,
     * gradient method and parameters are explained together, others one at a time, and the poll is
     * acknowledged once the broker has every result (decision 0083).
     */
    @Incoming("image-tasks-in")
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        Map<List<Object>, List<Received>> groups = new LinkedHashMap<>();
        int tasks = 0;
        for (KafkaRecord<String, byte[]> record : batch) {
            CloudEvent<ImageTask> event;
            try {
                event = codec.decode(record.getPayload(), EventTypes.IMAGE_TASK, ImageTask.class);
            } catch (InvalidEventException e) {
                deadLetters.send(CONSUMER, record, e.getMessage());
                continue;
            }
            ImageTask task = event.data();
            groups.computeIfAbsent(ImageTaskProcessor.batchKey(task), key -> new ArrayList<>())
                    .add(new Received(record, event));
            tasks++;
        }
        if (tasks > 0) {
            metrics.batch(tasks);
        }
        long started = System.nanoTime();
        groups.values().forEach(this::handle);
        metrics.busy(Duration.ofNanos(System.nanoTime() - started));
        return batch.ack();
    }

    /** A task and the record it came in. */
    private record Received(KafkaRecord<String, byte[]> record, CloudEvent<ImageTask> event) {
        ImageTask task() {
            return event.data();
        }
    }

    /** Explains and publishes tasks of one run, model, method and parameters, each in its own span. */
    private void handle(List<Received> group) {
        List<Span> spans = group.stream().map(received -> tracing.startHandling("lumen.explain", Topics.IMAGE_TASKS,
                        received.event())
                .setAttribute(EventTracing.Attributes.IMAGE_ID, received.task().imageId())
                .setAttribute(EventTracing.Attributes.METHOD, received.task().method())
                .setAttribute(EventTracing.Attributes.MODEL, received.task().model().id())
                .setAttribute(EventTracing.Attributes.BATCH, group.size())).toList();
        try {
            List<ImageResult> results;
            if (group.size() > 1 && batched(group.get(0).task())) {
                results = explainAndPublish(group, spans);
            } else {
                // One at a time: each result goes out as soon as it is ready, and a cancelled run's
                // next task is skipped (a black-box method takes seconds to minutes per image).
                results = new ArrayList<>(group.size());
                for (int i = 0; i < group.size(); i++) {
                    results.add(explainAndPublish(group.get(i), spans.get(i)));
                }
            }
            for (int i = 0; i < group.size(); i++) {
                spans.get(i).setAttribute(EventTracing.Attributes.OUTCOME, results.get(i).outcome().name());
                if (results.get(i).timing() != null) {
                    spans.get(i).setAttribute(EventTracing.Attributes.FORWARD_PASSES,
                            results.get(i).timing().forwardPasses());
                }
            }
        } catch (RuntimeException e) {
            spans.forEach(span -> EventTracing.failed(span, e));
            throw e;
        } finally {
            spans.forEach(Span::end);
        }
    }

    /** Gradient methods share batched runs; the others explain image by image anyway (decision 0083). */
    private static boolean batched(ImageTask task) {
        return MethodCatalogue.byId(task.method()).map(method -> method.family() == Family.GRADIENT).orElse(false);
    }

    /**
     * Explains the group in batches and publishes every result at once; when the group's handling is
     * given up or its results cannot all be published, each task is handled on its own, so that only
     * the task at fault is dead-lettered.
     */
    private List<ImageResult> explainAndPublish(List<Received> group, List<Span> spans) {
        List<ImageTask> tasks = group.stream().map(Received::task).toList();
        ConsumerRetry.Handled<List<ImageResult>> explained = retry.handle(CONSUMER,
                () -> processor.processAll(tasks, spans));
        if (!explained.gaveUp()) {
            List<ImageResult> results = explained.value();
            if (!publishAll(tasks, results, spans).gaveUp()) {
                results.forEach(metrics::imageDone);
                return results;
            }
        }
        List<ImageResult> results = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
            results.add(explainAndPublish(group.get(i), spans.get(i)));
        }
        return results;
    }

    private ImageResult explainAndPublish(Received received, Span span) {
        try (Scope ignored = span.makeCurrent()) {
            return explainAndPublish(received.record(), received.task());
        }
    }

    /** Explains the task and publishes its result (or a failure that can be published); returns what went out. */
    private ImageResult explainAndPublish(KafkaRecord<String, byte[]> record, ImageTask task) {
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

    /** Publishes the results together (each continuing its task's span) and waits for the broker to have all. */
    private ConsumerRetry.Handled<Void> publishAll(List<ImageTask> tasks, List<ImageResult> outcomes, List<Span> spans) {
        List<Message<byte[]>> messages = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            messages.add(message(tasks.get(i), outcomes.get(i), Context.current().with(spans.get(i))));
        }
        return retry.handle(CONSUMER, () -> {
            Uni.join().all(messages.stream().map(results::sendMessage).toList()).andCollectFailures()
                    .await().indefinitely();
            return null;
        });
    }

    private ConsumerRetry.Handled<Void> publish(ImageTask task, ImageResult result) {
        Message<byte[]> message = message(task, result, Context.current());
        return retry.handle(CONSUMER, () -> {
            results.sendMessageAndAwait(message);
            return null;
        });
    }

    /** The result event, keyed by run and carrying the trace of {@code context} (the task's explain span). */
    private Message<byte[]> message(ImageTask task, ImageResult result, Context context) {
        byte[] value = codec.encode(tracing.stamped(
                CloudEvent.of(config.eventSource(), EventTypes.IMAGE_RESULT, task.runId(), result), context));
        return Message.of(value).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(task.runId()).build());
    }
}
