package dev.lumen.runs.rest;

import dev.lumen.catalogue.Method;
import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.catalogue.Task;
import dev.lumen.service.rest.ProblemException;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * The method catalogue over HTTP: every explanation method a run may ask for, with its parameters,
 * their types, defaults and ranges, and the tasks each explains. A run is checked against exactly
 * this. The catalogue is the same for every tenant and holds nothing of theirs, so reading it needs
 * no token (a client can build its forms before signing in).
 */
@Path("/api/methods")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
@Tag(name = "methods")
public class MethodResource {

    /**
     * Every method, in catalogue order; with {@code task}, only the methods that explain that task,
     * each with only the parameters that apply to it.
     */
    @GET
    @Operation(summary = "List explanation methods and their parameters",
            description = "Optional filter task (a model task, e.g. detection): the methods for that task and "
                    + "the parameters that apply to it. Needs no token.")
    public List<MethodView> list(@QueryParam("task") String task) {
        if (task == null || task.isBlank()) {
            return MethodCatalogue.methods().stream().map(m -> MethodView.of(m, m.parameters())).toList();
        }
        Task filter = Task.byId(task.strip()).orElseThrow(() ->
                ProblemException.badField("task", "must be one of " + Task.ids()));
        return MethodCatalogue.methodsFor(filter).stream()
                .map((Method m) -> MethodView.of(m, m.parametersFor(filter))).toList();
    }
}
