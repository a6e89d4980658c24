package dev.lumen.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The AsyncAPI 3.0 document of Lumen's topics and events, shipped on the classpath as
 * {@value #RESOURCE}. Its messages reference the JSON Schemas by relative paths
 * ({@code schemas/<name>.vN.json}), so a server that publishes the document at {@code /asyncapi.yaml}
 * publishes the schemas at {@code /schemas/<name>.vN.json} (see {@link Schemas#schemaJson}).
 *
 * <p>The document is written by hand for its prose; the module's tests check it against
 * {@link Topics#ALL}, {@link Schemas} and the AsyncAPI 3.0 JSON Schema.
 */
public final class AsyncApi {

    /** Classpath resource of the document. */
    public static final String RESOURCE = "asyncapi.yaml";
    /** Media type of the YAML document. */
    public static final String YAML_MEDIA_TYPE = "application/yaml";

    private AsyncApi() {
    }

    /** The document as YAML text. */
    public static String yaml() {
        try (InputStream in = AsyncApi.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the contracts jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * The schema URI a relative reference of the document names, e.g.
     * {@code schemas/image-task.v1.json} gives {@code lumen:schemas/image-task.v1.json}.
     */
    public static String schemaUriOf(String relativeReference) {
        return "lumen:" + relativeReference;
    }
}
