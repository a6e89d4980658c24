package dev.lumen.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every record, encoded, conforms to its schema and decodes back to an equal record. */
class EventCodecRoundTripTest {

    private final EventCodec codec = new EventCodec();

    static List<CloudEvent<?>> events() {
        return Fixtures.allEvents();
    }

    @ParameterizedTest
    @MethodSource("events")
    void encodedEventConformsToEnvelopeAndDataSchemas(CloudEvent<?> event) throws Exception {
        JsonNode json = codec.mapper().readTree(codec.encode(event));

        assertThat(Schemas.envelopeSchema().validate(json)).isEmpty();
        assertThat(Schemas.dataSchemaFor(event.type()).validate(json.get("data"))).isEmpty();
        assertThat(json.get("type").asText()).isEqualTo(event.type());
        assertThat(json.get("dataschema").asText()).isEqualTo(Schemas.schemaUriFor(event.type()));
    }

    @ParameterizedTest
    @MethodSource("events")
    void decodingTheEncodedEventGivesTheOriginal(CloudEvent<?> event) {
        Class<?> dataType = Fixtures.DATA_CLASS_BY_TYPE.get(event.type());

        CloudEvent<?> decoded = codec.decode(codec.encode(event), event.type(), dataType);

        assertThat(decoded).isEqualTo(event);
        assertThat(decoded.data()).isInstanceOf(dataType);
    }

    @Test
    void instantsAreIso8601AndAbsentOptionalsAreOmitted() {
        String json = new String(codec.encode(Fixtures.event("/lumen/results-service", EventTypes.RUN_PROGRESS,
                Fixtures.runningProgress())), StandardCharsets.UTF_8);

        assertThat(json).contains("\"time\":\"2026-03-14T09:30:02.125Z\"")
                .contains("\"requestedAt\":\"2026-03-14T09:30:00Z\"")
                .doesNotContain("completedAt")
                .doesNotContain("null");
    }

    @Test
    void eventsFromTheFactoryRoundTripWithTheirCurrentTimeAndRandomId() {
        CloudEvent<RunRequested> event = CloudEvent.of("/lumen/run-service", EventTypes.RUN_REQUESTED,
                Fixtures.RUN_ID, Fixtures.runRequested());

        CloudEvent<RunRequested> decoded = codec.decode(codec.encode(event), EventTypes.RUN_REQUESTED, RunRequested.class);

        assertThat(decoded).isEqualTo(event);
        assertThat(decoded.time()).isBeforeOrEqualTo(Instant.now());
    }

    @Test
    void toJsonWritesRecordsWithTheSameConventions() {
        assertThat(codec.toJson(new Timing(12, 1))).isEqualTo("{\"explainMs\":12,\"forwardPasses\":1}");
        assertThat(codec.toJson(Fixtures.REQUESTED_AT)).isEqualTo("\"2026-03-14T09:30:00Z\"");
    }

    @Test
    void codecIsSafeToShareBetweenThreads() throws Exception {
        List<CloudEvent<?>> events = Fixtures.allEvents();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = IntStream.range(0, 400)
                    .mapToObj(i -> events.get(i % events.size()))
                    .map(event -> pool.submit(() -> event.equals(codec.decode(codec.encode(event), event.type(),
                            Fixtures.DATA_CLASS_BY_TYPE.get(event.type())))))
                    .toList();
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
    @Test
    void traceContextTravelsInTheEnvelope() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        CloudEvent<RunProgress> event = Fixtures.event("/lumen/results-service", EventTypes.RUN_PROGRESS,
                Fixtures.runningProgress()).withTrace(traceparent, "lumen=1");

        byte[] encoded = codec.encode(event);
        CloudEvent<RunProgress> decoded = codec.decode(encoded, EventTypes.RUN_PROGRESS, RunProgress.class);

        assertThat(new String(encoded, StandardCharsets.UTF_8)).contains("\"traceparent\":\"" + traceparent + "\"");
        assertThat(decoded.traceparent()).isEqualTo(traceparent);
        assertThat(decoded.tracestate()).isEqualTo("lumen=1");
        assertThat(decoded).isEqualTo(event);
    }

    @Test
    void aMalformedTraceparentIsRefused() {
        CloudEvent<RunProgress> event = Fixtures.event("/lumen/results-service", EventTypes.RUN_PROGRESS,
                Fixtures.runningProgress()).withTrace("not-a-trace", null);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> codec.encode(event))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("$.traceparent");
    }
}
