package dev.lumen.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A CloudEvents 1.0 envelope in structured JSON mode: the whole event, attributes and data, is the
 * Kafka record value.
 *
 * @param specversion always {@code 1.0}
 * @param id unique per event; consumers may use it to drop exact redeliveries
 * @param source URI reference of the producer, e.g. {@code /lumen/run-service}
 * @param type one of {@link EventTypes}
 * @param subject the run id the event concerns
 * @param time when the event was produced
 * @param datacontenttype always {@code application/json}
 * @param dataschema the schema the data conforms to, e.g. {@code lumen:schemas/run-requested.v1.json}
 * @param data the payload record
 * @param traceparent W3C Trace Context of the span that produced the event (the CloudEvents
 *     distributed-tracing extension), or null when the producer does not trace
 * @param tracestate W3C tracestate that goes with {@code traceparent}, or null
 * @param <T> the payload type
 */
// Other extension attributes (partitionkey, ...) are legal in any CloudEvent; dropping them keeps
// readers working whatever routing middleware adds.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent<T>(
        String specversion,
        String id,
        String source,
        String type,
        String subject,
        Instant time,
        String datacontenttype,
        String dataschema,
        T data,
        String traceparent,
        String tracestate) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/json";

    public CloudEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }

    /** An envelope without trace context. */
    public CloudEvent(String specversion, String id, String source, String type, String subject, Instant time,
                      String datacontenttype, String dataschema, T data) {
        this(specversion, id, source, type, subject, time, datacontenttype, dataschema, data, null, null);
    }

    /** Wraps {@code data} in a new envelope with a random id and the current time. */
    public static <T> CloudEvent<T> of(String source, String type, String subject, T data) {
        return new CloudEvent<>(SPEC_VERSION, UUID.randomUUID().toString(), source, type, subject,
                Instant.now(), CONTENT_TYPE, Schemas.schemaUriFor(type), data);
    }

    /**
     * This event carrying a trace context (the CloudEvents distributed-tracing extension).
     *
     * @param traceparent a W3C traceparent, or null to carry none
     * @param tracestate the W3C tracestate, or null
     */
    public CloudEvent<T> withTrace(String traceparent, String tracestate) {
        return new CloudEvent<>(specversion, id, source, type, subject, time, datacontenttype, dataschema, data,
                traceparent, tracestate);
    }
}
