package dev.lumen.testing;

import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Instant;

import static io.restassured.RestAssured.given;

/**
 * Bearer tokens for the services' tests, signed with the test-only key pair under {@code test-keys/}
 * (each service's %test profile trusts its public half), and a few deliberately bad ones.
 */
public final class Tokens {

    private static final PrivateKey TRUSTED = key("test-keys/jwt-private.pem");
    private static final PrivateKey STRANGER = key("test-keys/other-private.pem");

    private Tokens() {
    }

    /** A valid token for {@code tenant}, ten minutes to live. */
    public static String forTenant(String tenant) {
        return claims(tenant, Instant.now().plusSeconds(600)).sign(TRUSTED);
    }

    /** A request specification that sends a valid token for {@code tenant}. */
    public static RequestSpecification as(String tenant) {
        return given().header("Authorization", "Bearer " + forTenant(tenant));
    }

    /** A token that expired an hour ago (well beyond any clock skew). */
    public static String expired(String tenant) {
        return Jwt.claims().issuer("lumen").subject("test").claim("tenant", tenant)
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600)).sign(TRUSTED);
    }

    /** A token signed with a key the service does not trust. */
    public static String signedByStranger(String tenant) {
        return claims(tenant, Instant.now().plusSeconds(600)).sign(STRANGER);
    }

    /** A token from another issuer. */
    public static String fromIssuer(String issuer, String tenant) {
        return Jwt.claims().issuer(issuer).subject("test").claim("tenant", tenant)
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(600)).sign(TRUSTED);
    }

    /** A valid token without a tenant claim. */
    public static String withoutTenant() {
        return Jwt.claims().issuer("lumen").subject("test")
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(600)).sign(TRUSTED);
    }

    /** A valid token whose tenant claim is not an id. */
    public static String withTenantClaim(String tenant) {
        return claims(tenant, Instant.now().plusSeconds(600)).sign(TRUSTED);
    }

    /** A token for {@code tenant} without an {@code exp} claim (signed by hand: the builder always adds one). */
    public static String withoutExpiry(String tenant) {
        long now = Instant.now().getEpochSecond();
        return signedByHand("{\"iss\":\"lumen\",\"sub\":\"test\",\"tenant\":\"" + tenant + "\",\"iat\":" + now + "}");
    }

    /** A token for {@code tenant} without an {@code iat} claim, valid for ten minutes. */
    public static String withoutIssuedAt(String tenant) {
        long now = Instant.now().getEpochSecond();
        return signedByHand("{\"iss\":\"lumen\",\"sub\":\"test\",\"tenant\":\"" + tenant + "\",\"exp\":"
                + (now + 600) + "}");
    }

    /** A token for {@code tenant} issued now and valid for {@code lifetime}. */
    public static String withLifetime(String tenant, java.time.Duration lifetime) {
        return claims(tenant, Instant.now().plus(lifetime)).sign(TRUSTED);
    }

    /** A token for {@code tenant} issued {@code issuedAt} (possibly in the future), valid ten minutes after. */
    public static String issuedAt(String tenant, Instant issuedAt) {
        return Jwt.claims().issuer("lumen").subject("test").claim("tenant", tenant)
                .issuedAt(issuedAt).expiresAt(issuedAt.plusSeconds(600)).sign(TRUSTED);
    }

    /** A token for {@code tenant} issued now, valid ten minutes, but not before {@code notBefore}. */
    public static String notBefore(String tenant, Instant notBefore) {
        return Jwt.claims().issuer("lumen").subject("test").claim("tenant", tenant)
                .issuedAt(Instant.now()).claim("nbf", notBefore.getEpochSecond())
                .expiresAt(Instant.now().plusSeconds(600)).sign(TRUSTED);
    }

    private static String signedByHand(String claimsJson) {
        java.util.Base64.Encoder url = java.util.Base64.getUrlEncoder().withoutPadding();
        String input = url.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
        try {
            java.security.Signature signature = java.security.Signature.getInstance("SHA256withRSA");
            signature.initSign(TRUSTED);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + url.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JwtClaimsBuilder claims(String tenant, Instant expiresAt) {
        return Jwt.claims().issuer("lumen").subject("test-user").claim("tenant", tenant)
                .issuedAt(Instant.now()).expiresAt(expiresAt);
    }

    private static PrivateKey key(String resource) {
        try (InputStream in = Tokens.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test key " + resource);
            }
            return KeyUtils.decodePrivateKey(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("unreadable test key " + resource, e);
        }
    }
}
