package dev.lumen.service.auth;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Turns {@value AuthSettings#PUBLIC_KEY_ENV} into SmallRye JWT's settings: PEM text (it starts with
 * {@code -----BEGIN}) becomes {@code mp.jwt.verify.publickey}, anything else is a file path and becomes
 * {@code mp.jwt.verify.publickey.location}. One variable for both forms suits compose files (a path
 * to a mounted secret) and Kubernetes (a secret's text in the environment) alike.
 *
 * <p>Ordinal 275: above {@code application.properties} (250), so the environment wins over the
 * test profile's key, and below plain system properties and environment variables (400, 300).
 */
public class JwtKeyConfigSourceFactory implements ConfigSourceFactory {

    static final String INLINE_KEY = "mp.jwt.verify.publickey";
    static final String KEY_LOCATION = "mp.jwt.verify.publickey.location";
    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue value = context.getValue(AuthSettings.PUBLIC_KEY_ENV);
        Map<String, String> properties = properties(value == null ? null : value.getValue());
        if (properties.isEmpty()) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(properties, "lumen-jwt-key", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /** The SmallRye JWT properties for a value of the variable; empty when it is unset or blank. */
    static Map<String, String> properties(String key) {
        Map<String, String> properties = new HashMap<>();
        if (key == null || key.isBlank()) {
            return properties;
        }
        String trimmed = key.strip();
        if (trimmed.startsWith("-----BEGIN")) {
            properties.put(INLINE_KEY, trimmed);
        } else {
            // A bare path could be mistaken for a class-path resource; say it is a file.
            String location = trimmed.contains(":") && !trimmed.matches("^[A-Za-z]:[\\\\/].*") ? trimmed
                    : "file:" + Path.of(trimmed).toAbsolutePath();
            properties.put(KEY_LOCATION, location);
        }
        return properties;
    }
}
