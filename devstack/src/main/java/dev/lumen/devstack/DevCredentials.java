package dev.lumen.devstack;

/**
 * The fixed S3 identity, bucket and region of every devstack. They protect nothing (the server
 * listens on loopback only); they are fixed so that logs, docs and configs can name them.
 */
public final class DevCredentials {

    /** Access key of the devstack's S3 server. */
    public static final String ACCESS_KEY = "lumen-dev";
    /** Secret key of the devstack's S3 server. */
    public static final String SECRET_KEY = "lumen-dev-secret";
    /** The bucket the devstack creates. */
    public static final String BUCKET = "lumen";
    /** The region clients sign with; S3Proxy accepts any, this one avoids a location lookup. */
    public static final String REGION = "us-east-1";

    private DevCredentials() {
    }
}
