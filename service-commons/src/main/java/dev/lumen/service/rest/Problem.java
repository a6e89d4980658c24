package dev.lumen.service.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * An RFC 7807 problem response body ({@code application/problem+json}).
 *
 * @param type stable URI per error kind, e.g. {@code https://lumen.dev/problems/validation}
 * @param title short summary of the kind
 * @param status HTTP status
 * @param detail what went wrong in this occurrence
 * @param instance the request path
 * @param errors per-field problems, for validation errors
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<FieldProblem> errors) {

    /** Media type of problem responses. */
    public static final String MEDIA_TYPE = "application/problem+json";
    /** Prefix of every problem type URI. */
    public static final String TYPE_PREFIX = "https://lumen.dev/problems/";

    /**
     * One invalid field.
     *
     * @param field the field's JSON path, e.g. {@code imageCount} or {@code model.id}
     * @param message what is wrong with it
     */
    public record FieldProblem(String field, String message) {
    }
}
