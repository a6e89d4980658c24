package dev.lumen.e2e;

import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A test OTLP/HTTP receiver: accepts {@code POST /v1/traces} in {@code application/x-protobuf} (what the
 * services' exporter sends with {@code OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf}) and keeps every span
 * with the service that sent it. It decodes the protobuf wire format of
 * {@code opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest} itself, for the fields a test
 * reads (resource {@code service.name}; span ids, parent, name, kind, attributes), so that no OTLP
 * library is needed.
 */
final class OtlpReceiver implements AutoCloseable {

    /**
     * One received span.
     *
     * @param service the {@code service.name} of the resource that exported it
     * @param traceId hex trace id
     * @param spanId hex span id
     * @param parentSpanId hex parent span id, empty for a root span
     * @param name span name
     * @param kind OTLP kind (1 internal, 2 server, 3 client, 4 producer, 5 consumer)
     * @param attributes string, boolean, integer and double attributes as text
     */
    record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name, int kind,
                        Map<String, String> attributes) {

        String attribute(String key) {
            return attributes.get(key);
        }
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<String> posts = new CopyOnWriteArrayList<>();

    OtlpReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                        body = in.readAllBytes();
                    }
                }
                // Exporters post to <endpoint>/v1/traces; this receiver takes traces on any path.
                if ("POST".equals(exchange.getRequestMethod())) {
                    spans.addAll(decodeRequest(body));
                    posts.add(exchange.getRequestURI().getPath());
                }
                // An empty ExportTraceServiceResponse: everything accepted.
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
    }

    /** The base URL to give the exporter as {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every span received so far. */
    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** The paths of the export requests received, for diagnostics. */
    List<String> posts() {
        return List.copyOf(posts);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static List<ReceivedSpan> decodeRequest(byte[] request) {
        List<ReceivedSpan> out = new ArrayList<>();
        for (Field resourceSpans : fields(request)) {
            if (resourceSpans.number != 1) {
                continue;
            }
            String service = "";
            List<byte[]> scopeSpans = new ArrayList<>();
            for (Field field : fields(resourceSpans.bytes)) {
                if (field.number == 1) {
                    service = attributes(field.bytes, 1).getOrDefault("service.name", "");
                } else if (field.number == 2) {
                    scopeSpans.add(field.bytes);
                }
            }
            for (byte[] scope : scopeSpans) {
                for (Field span : fields(scope)) {
                    if (span.number == 2) {
                        out.add(span(service, span.bytes));
                    }
                }
            }
        }
        return out;
    }

    private static ReceivedSpan span(String service, byte[] span) {
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        int kind = 0;
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Field field : fields(span)) {
            switch (field.number) {
                case 1 -> traceId = HexFormat.of().formatHex(field.bytes);
                case 2 -> spanId = HexFormat.of().formatHex(field.bytes);
                case 4 -> parent = HexFormat.of().formatHex(field.bytes);
                case 5 -> name = new String(field.bytes, StandardCharsets.UTF_8);
                case 6 -> kind = (int) field.varint;
                case 9 -> attributes.putAll(keyValue(field.bytes));
                default -> { }
            }
        }
        return new ReceivedSpan(service, traceId, spanId, parent, name, kind, attributes);
    }

    /** The KeyValue fields numbered {@code number} of a message (Resource attributes are field 1). */
    private static Map<String, String> attributes(byte[] message, int number) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Field field : fields(message)) {
            if (field.number == number) {
                attributes.putAll(keyValue(field.bytes));
            }
        }
        return attributes;
    }

    private static Map<String, String> keyValue(byte[] keyValue) {
        String key = null;
        String value = null;
        for (Field field : fields(keyValue)) {
            if (field.number == 1) {
                key = new String(field.bytes, StandardCharsets.UTF_8);
            } else if (field.number == 2) {
                value = anyValue(field.bytes);
            }
        }
        return key == null ? Map.of() : Map.of(key, value == null ? "" : value);
    }

    private static String anyValue(byte[] any) {
        for (Field field : fields(any)) {
            switch (field.number) {
                case 1:
                    return new String(field.bytes, StandardCharsets.UTF_8);
                case 2:
                    return String.valueOf(field.varint != 0);
                case 3:
                    return String.valueOf(field.varint);
                case 4:
                    return String.valueOf(Double.longBitsToDouble(field.varint));
                default:
                    return "";
            }
        }
        return "";
    }

    /** One protobuf field: varint and fixed values in {@code varint}, length-delimited ones in {@code bytes}. */
    private record Field(int number, long varint, byte[] bytes) {
    }

    private static List<Field> fields(byte[] message) {
        List<Field> fields = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            long tag = varint(in);
            int number = (int) (tag >>> 3);
            switch ((int) (tag & 7)) {
                case 0 -> fields.add(new Field(number, varint(in), null));
                case 1 -> fields.add(new Field(number, in.getLong(), null));
                case 2 -> {
                    byte[] bytes = new byte[(int) varint(in)];
                    in.get(bytes);
                    fields.add(new Field(number, 0, bytes));
                }
                case 5 -> fields.add(new Field(number, in.getInt() & 0xffffffffL, null));
                default -> throw new IllegalArgumentException("unsupported protobuf wire type in tag " + tag);
            }
        }
        return fields;
    }

    private static long varint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("malformed varint");
    }
}
