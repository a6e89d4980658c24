package dev.lumen.cli;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Local development tokens: an RSA key pair kept under {@code .lumen/keys/} (made on first use with the
 * JDK's own crypto) and RS256 JWTs signed with it, issuer {@code lumen}, with the {@code tenant} claim
 * the services scope everything by. The services trust the public half through
 * {@code LUMEN_JWT_PUBLIC_KEY}. For a real deployment, tokens come from the organisation's issuer.
 */
public final class DevTokens {

    /** The issuer every Lumen service expects. */
    public static final String ISSUER = "lumen";
    /** The tenant of tokens minted without one. */
    public static final String DEFAULT_TENANT = "default";

    private static final Pattern TTL = Pattern.compile("^(\\d{1,9})([smhd])$");
    private static final Pattern TENANT = Pattern.compile("^[A-Za-z0-9._-]{1,128}$");
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    /** What the services read the maximum token lifetime from (seconds, 90s/30m/24h/7d or ISO-8601). */
    public static final String MAX_LIFETIME_ENV = "LUMEN_TOKEN_MAX_LIFETIME";
    /** The services' maximum token lifetime when {@value #MAX_LIFETIME_ENV} is unset. */
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofHours(24);

    private final Path dir;
    private final Duration maxLifetime;
    private final ObjectMapper mapper = new ObjectMapper();

    /** Keys under {@code dir} (e.g. {@code .lumen/keys}), tokens valid for at most {@code maxLifetime}. */
    public DevTokens(Path dir, Duration maxLifetime) {
        this.dir = dir;
        this.maxLifetime = maxLifetime;
    }

    /** Keys under {@code dir}, tokens valid for at most the services' default maximum (24 h). */
    public DevTokens(Path dir) {
        this(dir, DEFAULT_MAX_LIFETIME);
    }

    /**
     * Keys of the workspace, under {@code .lumen/keys/}; tokens live at most as long as the services
     * accept ({@value #MAX_LIFETIME_ENV}, the variable they read, default 24 h).
     */
    public static DevTokens of(Workspace workspace) {
        return new DevTokens(workspace.stateDir().resolve("keys"), maxLifetime(System.getenv(MAX_LIFETIME_ENV)));
    }

    /** The maximum lifetime {@code value} of {@value #MAX_LIFETIME_ENV} sets (the default when unset). */
    public static Duration maxLifetime(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_MAX_LIFETIME;
        }
        String text = value.strip();
        return text.chars().allMatch(Character::isDigit) ? Duration.ofSeconds(Long.parseLong(text)) : parseTtl(text);
    }

    /** The PEM file of the public key, generating the pair first if needed; what services are given. */
    public Path publicKey() {
        ensureKeys();
        return dir.resolve("jwt-public.pem");
    }

    /** Whether a key pair exists already. */
    public boolean exists() {
        return Files.isRegularFile(dir.resolve("jwt-private.pem")) && Files.isRegularFile(dir.resolve("jwt-public.pem"));
    }

    /**
     * A signed token.
     *
     * @param tenant the tenant claim (1-128 letters, digits, '.', '_' or '-')
     * @param ttl how long it is valid
     */
    public String mint(String tenant, Duration ttl) {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new CliException("a tenant is 1-128 letters, digits, '.', '_' or '-'; got '" + tenant + "'");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new CliException("--ttl must be positive");
        }
        if (ttl.compareTo(maxLifetime) > 0) {
            throw new CliException("--ttl " + human(ttl) + " is longer than the services accept (at most " + human(maxLifetime)
                    + ", set by " + MAX_LIFETIME_ENV + ")");
        }
        ensureKeys();
        Instant now = Instant.now();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", System.getProperty("user.name", "lumen-cli"));
        claims.put("tenant", tenant);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(ttl).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        try {
            String signingInput = URL.encodeToString(mapper.writeValueAsBytes(header)) + "."
                    + URL.encodeToString(mapper.writeValueAsBytes(claims));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(privateKey());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + URL.encodeToString(signature.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new CliException("cannot sign a token: " + e.getMessage(), e);
        }
    }

    /** Parses a time to live: {@code 90s}, {@code 30m}, {@code 1h}, {@code 7d}, or ISO-8601 ({@code PT1H}). */
    public static Duration parseTtl(String text) {
        Matcher m = TTL.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new CliException("--ttl must look like 90s, 30m, 1h, 7d or PT1H; got '" + text + "'");
        }
    }

    private static String human(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds % 3600 == 0 ? seconds / 3600 + " h" : seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
    }

    private synchronized void ensureKeys() {
        if (exists()) {
            return;
        }
        try {
            Files.createDirectories(dir);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Path privateFile = dir.resolve("jwt-private.pem");
            Files.writeString(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                // Whoever holds this file can act as any tenant of the local stack.
                Files.setPosixFilePermissions(privateFile, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(dir.resolve("jwt-public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        } catch (IOException | GeneralSecurityException e) {
            throw new CliException("cannot create the development key pair under " + dir + ": " + e.getMessage(), e);
        }
    }

    private PrivateKey privateKey() throws IOException, GeneralSecurityException {
        String pem = Files.readString(dir.resolve("jwt-private.pem"));
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
