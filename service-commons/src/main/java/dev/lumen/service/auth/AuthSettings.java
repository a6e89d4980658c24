package dev.lumen.service.auth;

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

    private AuthSettings() {
    }
}
