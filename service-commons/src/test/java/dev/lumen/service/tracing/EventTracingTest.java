package dev.lumen.service.tracing;

import dev.lumen.contracts.CloudEvent;
import dev.lumen.contracts.EventCodec;
import dev.lumen.contracts.EventTypes;
import dev.lumen.contracts.RunCancelled;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Trace context through the CloudEvents envelope, encoded and decoded as on a topic. */
class EventTracingTest {

    private final List<SpanData> exported = new CopyOnWriteArrayList<>();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new SpanExporter() {
                @Override
                public CompletableResultCode export(Collection<SpanData> spans) {
                    exported.addAll(spans);
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode flush() {
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode shutdown() {
                    return CompletableResultCode.ofSuccess();
                }
            })).build();
    private final EventTracing tracing = new EventTracing(OpenTelemetrySdk.builder().setTracerProvider(provider).build());
    private final EventCodec codec = new EventCodec();

    @AfterEach
    void close() {
        provider.close();
    }

    private static CloudEvent<RunCancelled> event() {
        return CloudEvent.of("/test", EventTypes.RUN_CANCELLED, "run-1", new RunCancelled("run-1", "acme", null));
    }

    @Test
    void aConsumerSpanIsAChildOfTheSpanThatPublishedTheEvent() {
        Span producer = tracing.span("publish").setSpanKind(SpanKind.PRODUCER).startSpan();
        byte[] onTheTopic;
        try (Scope ignored = producer.makeCurrent()) {
            onTheTopic = codec.encode(tracing.stamped(event()));
        } finally {
            producer.end();
        }

        CloudEvent<RunCancelled> received = codec.decode(onTheTopic, EventTypes.RUN_CANCELLED, RunCancelled.class);
        Span consumer = tracing.startHandling("handle", "lumen.run-requests", received);
        consumer.end();

        assertThat(received.traceparent()).isEqualTo("00-" + producer.getSpanContext().getTraceId() + "-"
                + producer.getSpanContext().getSpanId() + "-01");
        SpanData handled = exported.stream().filter(s -> s.getName().equals("handle")).findFirst().orElseThrow();
        assertThat(handled.getTraceId()).isEqualTo(producer.getSpanContext().getTraceId());
        assertThat(handled.getParentSpanId()).isEqualTo(producer.getSpanContext().getSpanId());
        assertThat(handled.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(handled.getAttributes().asMap()).containsValue("run-1").containsValue("lumen.run-requests");
    }

    @Test
    void anEventWithoutTraceContextStartsANewTraceAndNoSpanStampsNothing() {
        CloudEvent<RunCancelled> plain = tracing.stamped(event());
        assertThat(plain.traceparent()).isNull();

        Span consumer = tracing.startHandling("handle", "lumen.run-requests", plain);
        consumer.end();

        SpanData handled = exported.get(0);
        assertThat(handled.getParentSpanContext().isValid()).isFalse();
    }

    @Test
    void withTracingOffEventsCarryNoContext() {
        EventTracing off = new EventTracing(OpenTelemetry.noop());
        Span span = off.span("publish").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            assertThat(off.stamped(event()).traceparent()).isNull();
        } finally {
            span.end();
        }
    }
}
