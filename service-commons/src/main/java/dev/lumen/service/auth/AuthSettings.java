package dev.lumen.service.auth;

import java.time.Duration;

/**
 * Names of the authentication settings Lumen's services share. A service opts in at build time with
 * {@code lumen.auth.enabled=true} and a dependency on {@code quarkus-smallrye-jwt}; the verification
 * key comes from the environment variable {@value #PUBLIC_KEY_ENV} (a PEM file path or the PEM text
 * itself, see {@link JwtKeyConfigSourceFactory}); tokens must be issued by {@value #ISSUER}.
 */
public final class AuthSettings {

    /** Build-time switch that enables {@link CurrentTenant} in a service. */
    public static final String ENABLED = "lumen.auth.enabled";
    /** Environment variable holding the public key (PEM path or inline PEM). */
    public static final String PUBLIC_KEY_ENV = "LUMEN_JWT_PUBLIC_KEY";
    /** The issuer ({@code iss}) every accepted token carries. */
    public static final String ISSUER = "lumen";

    /**
     * Environment variable holding the longest a token may be valid for, from its {@code iat} to its
     * {@code exp}: seconds, {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d} or ISO-8601 ({@code PT24H}). The CLI's {@code ./lumen token --ttl} reads it too.
     */
    public static final String MAX_TOKEN_LIFETIME_ENV = "LUMEN_TOKEN_MAX_LIFETIME";
    /** The maximum lifetime when {@value #MAX_TOKEN_LIFETIME_ENV} is unset. */
    public static final Duration DEFAULT_MAX_TOKEN_LIFETIME = Duration.ofHours(24);
    /**
     * Seconds by which clocks may disagree: a token is still accepted this long after its {@code exp}
     * and already this long before its {@code nbf} or {@code iat}. Set as {@code mp.jwt.verify.clock.skew}.
     */
    public static final int CLOCK_SKEW_SECONDS = 30;

    private AuthSettings() {
    }

    /**
     * The maximum token lifetime that {@code value} of {@value #MAX_TOKEN_LIFETIME_ENV} sets.
     *
     * @throws IllegalArgumentException when it is not a positive duration in one of those forms
     */
    public static Duration maxTokenLifetime(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_MAX_TOKEN_LIFETIME;
        }
        String text = value.strip();
        Duration lifetime;
        try {
            java.util.regex.Matcher shorthand = java.util.regex.Pattern.compile("^(\\d{1,12})([smhd]?)$")
                    .matcher(text.toLowerCase(java.util.Locale.ROOT));
            if (shorthand.matches()) {
                long amount = Long.parseLong(shorthand.group(1));
                lifetime = switch (shorthand.group(2)) {
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    case "d" -> Duration.ofDays(amount);
                    default -> Duration.ofSeconds(amount);
                };
            } else {
                lifetime = Duration.parse(text.toUpperCase(java.util.Locale.ROOT));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(MAX_TOKEN_LIFETIME_ENV + " must be seconds, 90s, 30m, 24h, 7d or an "
                    + "ISO-8601 duration such as PT24H; got '" + value + "'");
        }
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException(MAX_TOKEN_LIFETIME_ENV + " must be positive; got '" + value + "'");
        }
        return lifetime;
    }
}
