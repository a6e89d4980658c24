package dev.lumen.testing;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Runs hostile requests against a service and lists every answer that is not a 4xx RFC 7807 problem:
 * a status outside 400-499, a body that is not {@code application/problem+json}, a {@code type} outside
 * {@code https://lumen.dev/problems/} or a body {@code status} different from the HTTP one. Requests
 * REST Assured cannot send (a false {@code Content-Length}, a body cut short) go over a raw socket.
 */
public final class ProblemFuzz {

    private ProblemFuzz() {
    }

    /** What a service answered. */
    public record Answer(int status, String contentType, String body) {
    }

    /** One hostile request. */
    public record Case(String name, Supplier<Answer> call) {
    }

    /** A case sent with REST Assured. */
    public static Case http(String name, Supplier<Response> call) {
        return new Case(name, () -> {
            Response response = call.get();
            return new Answer(response.statusCode(), response.contentType(), response.asString());
        });
    }

    /** A case sent as raw bytes to the service under test ({@code Connection: close} is the caller's). */
    public static Case raw(String name, Supplier<byte[]> request) {
        return new Case(name, () -> send(request.get()));
    }

    /** Each case that did not answer a 4xx problem, with what it answered instead. */
    public static List<String> failures(List<Case> cases) {
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            Answer answer;
            try {
                answer = c.call().get();
            } catch (RuntimeException e) {
                failures.add(c.name() + ": no answer (" + e + ")");
                continue;
            }
            String problem = problem(answer);
            if (problem != null) {
                failures.add(c.name() + ": " + problem);
            }
        }
        return failures;
    }

    private static String problem(Answer answer) {
        String shown = answer.status() + " " + answer.contentType() + " " + abbreviate(answer.body());
        if (answer.status() < 400 || answer.status() >= 500 || answer.contentType() == null
                || !answer.contentType().startsWith("application/problem+json")) {
            return shown;
        }
        try {
            JsonPath json = JsonPath.from(answer.body());
            String type = json.getString("type");
            Integer status = json.get("status");
            if (type == null || !type.startsWith("https://lumen.dev/problems/") || status == null
                    || status != answer.status()) {
                return shown;
            }
        } catch (RuntimeException e) {
            return shown + " (body is not JSON)";
        }
        return null;
    }

    /**
     * Sends {@code request} to the service under test and reads the answer until the server closes the
     * connection (or the body's declared length has arrived).
     */
    public static Answer send(byte[] request) {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before it has read everything: read what it said.
            }
            return parse(readAnswer(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request head ending in an empty line, with {@code Host} and {@code Connection: close}. */
    public static byte[] head(String requestLine, String... headers) {
        StringBuilder head = new StringBuilder(requestLine).append("\r\nHost: localhost\r\nConnection: close\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code head} followed by {@code body}. */
    public static byte[] concat(byte[] head, byte[] body) {
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static byte[] readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                bytes.write(buffer, 0, n);
                if (complete(bytes.toByteArray())) {
                    break;
                }
            }
        } catch (IOException e) {
            // A reset after the answer arrived still leaves the answer to judge.
            if (bytes.size() == 0) {
                throw e;
            }
        }
        return bytes.toByteArray();
    }

    private static boolean complete(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        for (String line : text.substring(0, end).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return bytes.length - end - 4 >= Long.parseLong(line.substring(15).strip());
            }
        }
        return false;
    }

    private static Answer parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || end < 0) {
            return new Answer(-1, null, text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        String contentType = null;
        boolean chunked = false;
        for (String line : lines) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-type:")) {
                contentType = line.substring(13).strip();
            }
            chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
        }
        String body = text.substring(end + 4);
        return new Answer(status, contentType, chunked ? dechunk(body) : body);
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int lineEnd = body.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(at, lineEnd).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, lineEnd + 2, Math.min(body.length(), lineEnd + 2 + size));
            at = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
}
