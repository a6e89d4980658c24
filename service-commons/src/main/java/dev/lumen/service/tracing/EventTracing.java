package dev.lumen.service.tracing;

import dev.lumen.contracts.CloudEvent;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trace context across Kafka hops through the CloudEvents distributed-tracing extension: a producer
 * stamps the envelope's {@code traceparent} (and {@code tracestate}) with the span it publishes in,
 * a consumer starts its span as a child of the context the envelope carries. The envelope is the
 * contract (decision 0062): Kafka headers are not read, so a record re-published by any tool keeps its
 * trace as long as the event is intact.
 *
 * <p>With the OpenTelemetry SDK disabled (the default outside a traced deployment) spans are no-ops
 * and events carry no trace context.
 */
@ApplicationScoped
public class EventTracing {

    /** Instrumentation scope of Lumen's own spans. */
    public static final String SCOPE = "dev.lumen";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;

    public EventTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(SCOPE);
    }

    /** The tracer of Lumen's spans. */
    public Tracer tracer() {
        return tracer;
    }

    /** {@code event} carrying the trace context of the current span (unchanged when there is none). */
    public <T> CloudEvent<T> stamped(CloudEvent<T> event) {
        return stamped(event, Context.current());
    }

    /** {@code event} carrying the trace context of {@code context} (unchanged when it has no valid span). */
    public <T> CloudEvent<T> stamped(CloudEvent<T> event, Context context) {
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return event;
        }
        Map<String, String> carrier = new HashMap<>(2);
        W3C.inject(context, carrier, Map::put);
        return event.withTrace(carrier.get("traceparent"), carrier.get("tracestate"));
    }

    /** The trace context an event carries, or the root context when it carries none. */
    public Context contextOf(CloudEvent<?> event) {
        if (event.traceparent() == null) {
            return Context.root();
        }
        Map<String, String> carrier = new HashMap<>(2);
        carrier.put("traceparent", event.traceparent());
        if (event.tracestate() != null) {
            carrier.put("tracestate", event.tracestate());
        }
        return W3C.extract(Context.root(), carrier, MAP_GETTER);
    }

    /**
     * Starts a span that handles {@code event}: a {@link SpanKind#CONSUMER} child of the context the
     * event carries, with the messaging attributes of its topic and the run it concerns. Make it current
     * and end it; spans started meanwhile (and events stamped) belong to it.
     */
    public Span startHandling(String name, String topic, CloudEvent<?> event) {
        return tracer.spanBuilder(name).setParent(contextOf(event)).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", topic)
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("cloudevents.event_id", event.id())
                .setAttribute("cloudevents.event_type", event.type())
                .setAttribute(Attributes.RUN_ID, event.subject())
                .startSpan();
    }

    /** A span builder for work in the current context (e.g. publishing a run's image tasks). */
    public SpanBuilder span(String name) {
        return tracer.spanBuilder(name);
    }

    /** Records a failure on {@code span} without ending it. */
    public static void failed(Span span, Throwable e) {
        span.recordException(e);
        span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, e.getMessage() == null ? e.toString() : e.getMessage());
    }

    /** The attribute keys of Lumen's spans, one name per concept across the services. */
    public static final class Attributes {
        public static final String RUN_ID = "lumen.run.id";
        public static final String IMAGE_ID = "lumen.image.id";
        public static final String METHOD = "lumen.method";
        public static final String MODEL = "lumen.model";
        public static final String OUTCOME = "lumen.outcome";
        /** Image tasks explained together with this one (1 when alone). */
        public static final String BATCH = "lumen.batch.size";
        public static final String MASKS_USED = "lumen.masks.used";
        public static final String FORWARD_PASSES = "lumen.forward.passes";
        public static final String IMAGES = "lumen.images";
        public static final String RUN_STATE = "lumen.run.state";

        /** Every key, for tests and documentation. */
        public static final List<String> ALL = List.of(RUN_ID, IMAGE_ID, METHOD, MODEL, OUTCOME, MASKS_USED,
                FORWARD_PASSES, IMAGES, RUN_STATE);

        private Attributes() {
        }
    }
}
