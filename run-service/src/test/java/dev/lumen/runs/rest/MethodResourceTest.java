package dev.lumen.runs.rest;

import dev.lumen.catalogue.Method;
import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.catalogue.Parameter;
import dev.lumen.catalogue.Task;
import dev.lumen.testing.LumenStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** {@code GET /api/methods} serves the method catalogue as it is, without a token. */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class MethodResourceTest {

    @Test
    void everyMethodAndParameterIsServedAsTheCatalogueDeclaresIt() {
        JsonPath served = given().when().get("/api/methods").then().statusCode(200).extract().jsonPath();

        List<Method> methods = MethodCatalogue.methods();
        assertThat(served.getList("id")).containsExactlyElementsOf(methods.stream().map(Method::id).toList());
        for (int m = 0; m < methods.size(); m++) {
            Method method = methods.get(m);
            Map<String, Object> view = served.getMap("[" + m + "]");
            assertThat(view).as(method.id()).containsEntry("title", method.title())
                    .containsEntry("family", method.family().id()).containsEntry("doc", method.doc())
                    .containsEntry("tasks", ids(method.tasks()));
            List<Map<String, Object>> parameters = served.getList("[" + m + "].parameters");
            assertThat(parameters).as(method.id()).hasSameSizeAs(method.parameters());
            for (int p = 0; p < parameters.size(); p++) {
                assertThat(parameters.get(p)).as(method.id() + " " + p).isEqualTo(expected(method, method.parameters().get(p)));
            }
        }
    }

    @Test
    void aTaskFilterKeepsTheMethodsForItAndTheParametersThatApply() {
        for (Task task : Task.values()) {
            JsonPath served = given().queryParam("task", task.id()).when().get("/api/methods")
                    .then().statusCode(200).extract().jsonPath();
            List<Method> methods = MethodCatalogue.methodsFor(task);
            assertThat(served.getList("id")).as(task.id()).containsExactlyElementsOf(methods.stream().map(Method::id).toList());
            for (int m = 0; m < methods.size(); m++) {
                assertThat(served.getList("[" + m + "].parameters.name")).as(task.id() + " " + methods.get(m).id())
                        .containsExactlyElementsOf(methods.get(m).parametersFor(task).stream().map(Parameter::name).toList());
            }
        }
        assertThat(given().queryParam("task", "detection").get("/api/methods").jsonPath().getList("id"))
                .containsExactly("gradcam", "gradcam++", "hirescam", "xgradcam", "layercam", "odam", "drise");
        List<List<String>> attributeParameters = given().queryParam("task", "attributes").get("/api/methods")
                .jsonPath().getList("parameters.name");
        assertThat(attributeParameters).isNotEmpty().allSatisfy(names -> assertThat(names).contains("cropMargin"));
    }

    @Test
    void anUnknownTaskIsA400Problem() {
        given().queryParam("task", "telepathy").when().get("/api/methods")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://lumen.dev/problems/validation"))
                .body("errors.field", hasItem("task"))
                .body("detail", org.hamcrest.Matchers.containsString("detection"));
    }

    @Test
    void theEndpointIsInTheOpenApiDocumentWithoutASecurityRequirement() {
        given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("paths.'/api/methods'.get", notNullValue())
                .body("paths.'/api/methods'.get.security", nullValue());
    }

    /** The parameter as the catalogue declares it, in the served shape. */
    private static Map<String, Object> expected(Method method, Parameter parameter) {
        Map<String, Object> view = new HashMap<>();
        view.put("name", parameter.name());
        view.put("type", parameter.type().id());
        view.put("allowed", parameter.allowed());
        view.put("doc", parameter.doc());
        view.put("tasks", Arrays.stream(Task.values()).filter(method::explains).filter(parameter::appliesTo)
                .map(Task::id).toList());
        if (parameter.defaultValue() != null) {
            view.put("default", parameter.defaultValue());
        }
        if (parameter.defaultDoc() != null) {
            view.put("defaultDoc", parameter.defaultDoc());
        }
        if (!parameter.choices().isEmpty()) {
            view.put("choices", parameter.choices());
        }
        if (parameter.range() != null) {
            boolean whole = parameter.type().id().equals("integer");
            Map<String, Object> range = new HashMap<>();
            range.put("min", whole ? (Object) (int) parameter.range().min() : (Object) (float) parameter.range().min());
            range.put("max", whole ? (Object) (int) parameter.range().max() : (Object) (float) parameter.range().max());
            range.put("minIncluded", parameter.range().minIncluded());
            range.put("maxIncluded", parameter.range().maxIncluded());
            range.put("text", parameter.range().toString());
            view.put("range", range);
        }
        if (parameter.defaultValue() instanceof Double d) {
            view.put("default", d.floatValue());
        }
        return view;
    }

    private static List<String> ids(Set<Task> tasks) {
        return Arrays.stream(Task.values()).filter(tasks::contains).map(Task::id).toList();
    }
}
