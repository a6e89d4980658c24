package dev.lumen.runs.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lumen.contracts.AsyncApi;
import dev.lumen.contracts.Schemas;
import dev.lumen.service.rest.ProblemException;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/**
 * Lumen's event contract beside its OpenAPI: the AsyncAPI 3.0 document of every topic and event
 * ({@code /asyncapi.yaml}, or {@code /asyncapi.json}) and the JSON Schemas its messages reference by
 * relative path ({@code /schemas/<name>.vN.json}), so that a tool pointed at the document resolves
 * them from this server. Public contracts, the same for every tenant: no token.
 */
@Path("/")
@PermitAll
@Tag(name = "contracts")
public class AsyncApiResource {

    private static final Pattern SCHEMA_FILE = Pattern.compile("[a-z0-9-]+\\.v[0-9]+\\.json");

    private final String yaml = AsyncApi.yaml();
    private final String json = toJson(yaml);

    /** The AsyncAPI document as written (YAML). */
    @GET
    @Path("asyncapi.yaml")
    @Produces(AsyncApi.YAML_MEDIA_TYPE)
    @Operation(summary = "AsyncAPI 3.0 document of Lumen's topics and events (YAML)")
    public String yaml() {
        return yaml;
    }

    /** The same document as JSON. */
    @GET
    @Path("asyncapi.json")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "AsyncAPI 3.0 document of Lumen's topics and events (JSON)")
    public String json() {
        return json;
    }

    /** A JSON Schema (draft 2020-12) of an event or of the envelope, as the document references it. */
    @GET
    @Path("schemas/{file}")
    @Produces("application/schema+json")
    @Operation(summary = "JSON Schema of an event's data or of the CloudEvents envelope")
    public String schema(@PathParam("file") String file) {
        if (!SCHEMA_FILE.matcher(file).matches()) {
            throw ProblemException.notFound("schema-not-found", "no schema " + file + "; see /asyncapi.yaml");
        }
        try {
            return Schemas.schemaJson(AsyncApi.schemaUriOf("schemas/" + file));
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("schema-not-found", "no schema " + file + "; see /asyncapi.yaml");
        }
    }

    private static String toJson(String yaml) {
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(new ObjectMapper(new YAMLFactory()).readTree(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot convert " + AsyncApi.RESOURCE + " to JSON", e);
        }
    }
}
