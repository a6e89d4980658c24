package dev.lumen.service.auth;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.ConfigSourceFactory;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Turns {@value AuthSettings#MAX_TOKEN_LIFETIME_ENV} (e.g. {@code 24h}, {@code PT24H} or seconds; default
 * {@link AuthSettings#DEFAULT_MAX_TOKEN_LIFETIME}) into SmallRye JWT's {@code smallrye.jwt.time-to-live}:
 * a token whose {@code exp} lies further than that after its {@code iat} is refused, and so is a
 * token without {@code iat}. Without a maximum, a token minted for a hundred years is as good as a
 * password that never changes. Clocks may differ by {@link AuthSettings#CLOCK_SKEW_SECONDS}
 * ({@code mp.jwt.verify.clock.skew}).
 *
 * <p>Same ordinal as {@link JwtKeyConfigSourceFactory}: above {@code application.properties}.
 */
public class TokenLifetimeConfigSourceFactory implements ConfigSourceFactory {

    static final String TIME_TO_LIVE = "smallrye.jwt.time-to-live";
    static final String CLOCK_SKEW = "mp.jwt.verify.clock.skew";
    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue value = context.getValue(AuthSettings.MAX_TOKEN_LIFETIME_ENV);
        Duration lifetime = AuthSettings.maxTokenLifetime(value == null ? null : value.getValue());
        return List.of(new PropertiesConfigSource(Map.of(TIME_TO_LIVE, Long.toString(lifetime.toSeconds()),
                CLOCK_SKEW, Integer.toString(AuthSettings.CLOCK_SKEW_SECONDS)), "lumen-token-lifetime", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
