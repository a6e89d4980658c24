package dev.lumen.service.http;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The request sizes every service answers with an RFC 7807 problem instead of serving: the limits
 * {@link RequestProblems} checks before routing. The HTTP server's own limits
 * ({@code quarkus.http.limits.max-initial-line-length}, {@code max-header-size}, set higher in
 * service-commons' {@code META-INF/microprofile-config.properties}) stay a last line behind them.
 */
@ConfigMapping(prefix = "lumen.http")
public interface RequestLimitsConfig {

    /** Longest request target (path and query) served; longer ones answer 414 {@code uri-too-long}. */
    @WithDefault("8192")
    int maxUriLength();

    /**
     * Most bytes of request headers (names and values) served; more answer 431 {@code headers-too-large}.
     * A bearer token takes about 1 KB.
     */
    @WithDefault("16384")
    int maxHeaderBytes();
}
