package dev.lumen.service.auth;

import dev.lumen.service.rest.ProblemException;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The tenant of the current request, from the {@value #CLAIM} claim of its verified bearer token
 * (RS256, issuer {@code lumen}). Everything a tenant owns (models, datasets, runs, results) is looked
 * up through it, and another tenant's ids answer 404 as if they did not exist.
 *
 * <p>Only present in services built with {@code lumen.auth.enabled=true} (and depending on
 * {@code quarkus-smallrye-jwt}); other services do not have the token type on their class path.
 */
@RequestScoped
@IfBuildProperty(name = AuthSettings.ENABLED, stringValue = "true")
public class CurrentTenant {

    /** The claim that names the tenant. */
    public static final String CLAIM = "tenant";

    // Tenants end up in event fields and object keys, which share the id pattern of the contracts.
    private static final Pattern TENANT = Pattern.compile("^[A-Za-z0-9._-]{1,128}$");

    private final JsonWebToken token;

    public CurrentTenant(JsonWebToken token) {
        this.token = token;
    }

    /**
     * The tenant id.
     *
     * @throws ProblemException 401 when the token carries no usable tenant claim
     */
    public String id() {
        checkIssuedAt();
        Object claim = token == null ? null : token.getClaim(CLAIM);
        String tenant = claim == null ? null : claim.toString();
        // JSON strings come back quoted from some claim representations.
        if (tenant != null && tenant.length() >= 2 && tenant.startsWith("\"") && tenant.endsWith("\"")) {
            tenant = tenant.substring(1, tenant.length() - 1);
        }
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new ProblemException(401, "invalid-token", "Unauthorized",
                    "the bearer token has no valid '" + CLAIM + "' claim (1-128 letters, digits, '.', '_' or '-')",
                    List.of());
        }
        return tenant;
    }

    /**
     * A token issued in the future (beyond the clock skew) is refused: SmallRye JWT checks {@code exp}
     * and {@code nbf} with the skew, and {@code iat} only against {@code exp}.
     */
    private void checkIssuedAt() {
        long issuedAt = token == null ? 0 : token.getIssuedAtTime();
        long now = java.time.Instant.now().getEpochSecond();
        if (issuedAt > now + AuthSettings.CLOCK_SKEW_SECONDS) {
            throw new ProblemException(401, "invalid-token", "Unauthorized", "the bearer token was issued in the future "
                    + "(iat " + (issuedAt - now) + " s from now; clocks may differ by " + AuthSettings.CLOCK_SKEW_SECONDS
                    + " s)", List.of());
        }
    }

    /** Who the token was issued to (its subject), for logs; {@code unknown} when absent. */
    public String subject() {
        return token == null || token.getSubject() == null ? "unknown" : token.getSubject();
    }
}
