package dev.lumen.service.messaging;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.ServerException;
import org.apache.kafka.common.errors.RetriableException;

import java.io.IOException;
import java.util.Set;

/**
 * Tells an outage of a dependency (object storage or the broker unreachable, overloaded or timing out)
 * from a failure that belongs to the message itself. An outage ends by itself, so it is retried for as
 * long as it lasts; a message's own failure is retried a bounded number of times, then dead-lettered.
 */
public final class TransientFaults {

    /** S3 error codes that say the server, not the request, is the problem. */
    private static final Set<String> TRANSIENT_S3_CODES = Set.of("InternalError", "ServiceUnavailable", "SlowDown",
            "RequestTimeout", "RequestTimeTooSkewed", "OperationAborted");

    private TransientFaults() {
    }

    /** Whether {@code failure} (or anything in its cause chain) is an outage of a dependency. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException || t instanceof RetriableException || t instanceof ServerException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
            if (t instanceof ErrorResponseException e && e.errorResponse() != null
                    && TRANSIENT_S3_CODES.contains(e.errorResponse().code())) {
                return true;
            }
        }
        return false;
    }

    /** A one-line description of {@code failure} for health data and logs: the innermost useful message. */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String outer = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (root == failure) {
            return outer;
        }
        String inner = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return outer.contains(inner) ? outer : outer + " (" + inner + ")";
    }
}
