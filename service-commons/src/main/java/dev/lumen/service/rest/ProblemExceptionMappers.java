package dev.lumen.service.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns every error a resource can raise into an RFC 7807 problem response, so no client ever sees
 * an HTML error page or a bare stack trace.
 */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, @Context UriInfo uri) {
        Response response = ProblemResponses.of(e.toProblem(path(uri)));
        // Every 401 says how to authenticate (RFC 9110), whichever check refused the token.
        return e.status() == 401 ? Response.fromResponse(response)
                .header(jakarta.ws.rs.core.HttpHeaders.WWW_AUTHENTICATE, AuthProblemMappers.CHALLENGE).build() : response;
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, @Context UriInfo uri) {
        List<Problem.FieldProblem> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldProblem(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldProblem::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message())
                .collect(Collectors.joining("; "));
        return ProblemResponses.of(new Problem(Problem.TYPE_PREFIX + "validation", "Invalid request", 400,
                detail, path(uri), errors));
    }

    @ServerExceptionMapper(priority = 1)
    public Response unreadableJson(JsonProcessingException e, @Context UriInfo uri) {
        String field = e instanceof JsonMappingException mapping ? jsonPath(mapping) : "";
        String detail = e.getOriginalMessage();
        List<Problem.FieldProblem> errors = field.isEmpty() ? List.of()
                : List.of(new Problem.FieldProblem(field, detail));
        String summary = field.isEmpty() ? "malformed JSON: " + detail : field + ": " + detail;
        return ProblemResponses.of(new Problem(Problem.TYPE_PREFIX + "malformed-request", "Malformed request body",
                400, summary, path(uri), errors));
    }

    /** Quarkus ships its own mapper for this subtype; ours must win so the body stays a problem. */
    @ServerExceptionMapper(priority = 1)
    public Response mismatchedInput(MismatchedInputException e, @Context UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, @Context UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json, uri);
        }
        String reason = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        return ProblemResponses.of(new Problem(Problem.TYPE_PREFIX + "http-" + status, reason, status,
                e.getMessage(), path(uri), List.of()));
    }

    /**
     * A request body that ends or breaks while it is read (a multipart body without its closing
     * boundary, a connection closed mid-upload) is the client's error; any other I/O failure that
     * reaches this layer is ours.
     */
    @ServerExceptionMapper
    public Response unreadableBody(java.io.IOException e, @Context UriInfo uri) {
        if (readingTheRequest(e)) {
            return ProblemResponses.of(new Problem(Problem.TYPE_PREFIX + "malformed-request", "Malformed request body",
                    400, "the request body cannot be read: " + e.getMessage(), path(uri), List.of()));
        }
        return unexpected(e, uri);
    }

    private static boolean readingTheRequest(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("multipart")) {
                return true;
            }
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().startsWith("org.jboss.resteasy.reactive.server.core.multipart.")
                        || frame.getClassName().endsWith(".FormBodyHandler")
                        || frame.getClassName().endsWith("VertxInputStream")) {
                    return true;
                }
            }
        }
        return false;
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, @Context UriInfo uri) {
        LOG.errorf(e, "unexpected error on %s", path(uri));
        return ProblemResponses.of(new Problem(Problem.TYPE_PREFIX + "internal", "Internal error", 500,
                "an unexpected error occurred; it has been logged", path(uri), List.of()));
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }

    /** {@code create.request.imageCount} becomes {@code imageCount}: clients know fields, not methods. */
    private static String fieldOf(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        String[] parts = path.split("\\.");
        return parts.length > 2 ? String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length))
                : parts[parts.length - 1];
    }

    private static String jsonPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
