package dev.lumen.service.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * Object storage (S3 API: MinIO in production, S3Proxy in the devstack) shared by every service.
 * Each key is also settable through {@code S3_ENDPOINT}, {@code S3_ACCESS_KEY}, ... (see the README).
 */
@ConfigMapping(prefix = "lumen.s3")
public interface S3Config {

    /** Endpoint the services use, e.g. {@code http://minio:9000}. */
    String endpoint();

    /**
     * Endpoint browsers use; presigned URLs are signed for this host because the host is part of the
     * signature. Defaults to {@link #endpoint()}.
     */
    Optional<String> publicEndpoint();

    /** Access key. */
    String accessKey();

    /** Secret key. */
    String secretKey();

    /** The one bucket holding models, datasets and run results. */
    @WithDefault("lumen")
    String bucket();

    /** Region the signatures use; S3Proxy and MinIO accept the default. */
    @WithDefault("us-east-1")
    String region();
}
