package dev.lumen.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.service.rest.Problem;
import io.netty.handler.codec.DecoderException;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers what never reaches a resource with RFC 7807 problems, as the resources' own errors are:
 * a request target, headers or a declared body over the limits (414 {@code uri-too-long}, 431
 * {@code headers-too-large}, 413 {@code body-too-large}), a body that cannot be decoded, such as a
 * multipart body that ends before its closing boundary (400 {@code malformed-request}), a path no
 * route serves (404) and any other failure of the HTTP layer (its status as
 * {@code http-<status>}; 500 {@code internal}, logged). Installed first on the router, before the
 * server's own body-size check, so that each answer has a body and a stable type.
 */
@ApplicationScoped
public class RequestProblems {

    private static final Logger LOG = Logger.getLogger(RequestProblems.class);
    private static final int INSTANCE_MAX = 200;

    private final RequestLimitsConfig limits;
    private final Optional<MemorySize> maxBodySize;
    private final ObjectMapper mapper;

    public RequestProblems(RequestLimitsConfig limits,
                           @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize,
                           ObjectMapper mapper) {
        this.limits = limits;
        this.maxBodySize = maxBodySize;
        this.mapper = mapper;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::checkLimits).failureHandler(this::failed);
        // What the router answers itself when no route serves a request.
        for (int status : new int[]{400, 404, 405, 406, 413, 415}) {
            router.errorHandler(status, this::failed);
        }
    }

    private void checkLimits(RoutingContext context) {
        HttpServerRequest request = context.request();
        String uri = request.uri();
        if (uri.length() > limits.maxUriLength()) {
            answer(context, 414, "uri-too-long", "URI too long", "the request target has " + uri.length()
                    + " characters; at most " + limits.maxUriLength() + " are served", true);
            return;
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headerBytes > limits.maxHeaderBytes()) {
            answer(context, 431, "headers-too-large", "Request headers too large", "the request headers take "
                    + headerBytes + " bytes; at most " + limits.maxHeaderBytes() + " are served", true);
            return;
        }
        String contentLength = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (contentLength != null && maxBodySize.isPresent()) {
            long declared;
            try {
                declared = Long.parseLong(contentLength.strip());
            } catch (NumberFormatException e) {
                answer(context, 400, "malformed-request", "Malformed request", "Content-Length is not a number", true);
                return;
            }
            if (declared > maxBodySize.get().asLongValue()) {
                answer(context, 413, "body-too-large", "Request body too large", "the request body has " + declared
                        + " bytes; at most " + maxBodySize.get().asLongValue() + " are accepted", true);
                return;
            }
        }
        context.next();
    }

    private void failed(RoutingContext context) {
        if (context.response().headWritten()) {
            if (!context.response().ended()) {
                context.response().reset();
            }
            return;
        }
        Throwable failure = context.failure();
        int status = context.statusCode();
        if (failure != null && isMalformedBody(failure)) {
            answer(context, 400, "malformed-request", "Malformed request body", "the request body cannot be decoded: "
                    + describe(failure), true);
        } else if (status == 413) {
            answer(context, 413, "body-too-large", "Request body too large", "the request body is larger than "
                    + maxBodySize.map(size -> size.asLongValue() + " bytes").orElse("accepted"), true);
        } else if (status >= 400 && status < 500) {
            answer(context, status, "http-" + status, reason(status), reason(status) + ": " + path(context), false);
        } else {
            LOG.errorf(failure, "unexpected failure on %s %s", context.request().method(), path(context));
            answer(context, 500, "internal", "Internal error", "an unexpected error occurred; it has been logged", false);
        }
    }

    /** Decoding failures of the body: multipart or form syntax, a connection closed mid-body. */
    private static boolean isMalformedBody(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String name = t.getClass().getName();
            if (t instanceof DecoderException || name.contains("DecoderException") || name.contains("DataDecoder")
                    || t instanceof io.vertx.core.http.HttpClosedException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }

    private static String reason(int status) {
        jakarta.ws.rs.core.Response.Status known = jakarta.ws.rs.core.Response.Status.fromStatusCode(status);
        return known == null ? "Error" : known.getReasonPhrase();
    }

    private static String path(RoutingContext context) {
        String path = context.request().path();
        return path == null ? "" : path.length() > INSTANCE_MAX ? path.substring(0, INSTANCE_MAX) + "..." : path;
    }

    private void answer(RoutingContext context, int status, String kind, String title, String detail, boolean close) {
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(new Problem(Problem.TYPE_PREFIX + kind, title, status, detail, path(context),
                    List.of()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpServerResponse response = context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (close) {
            // The rest of the request is not read: the connection cannot carry another one.
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(io.vertx.core.buffer.Buffer.buffer(body));
    }
}
