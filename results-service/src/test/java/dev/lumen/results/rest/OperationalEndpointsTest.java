package dev.lumen.results.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.lumen.testing.LumenStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Health, metrics, OpenAPI and Swagger UI answer without a token; the API they describe needs one. */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class OperationalEndpointsTest {

    @Test
    void healthMetricsAndOpenApiNeedNoToken() {
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/api/runs").then().statusCode(401);
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests"));
        given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("paths.'/api/runs'.get", notNullValue())
                .body("paths.'/api/runs/{runId}/insights'.get", notNullValue())
                .body("components.securitySchemes.SecurityScheme.scheme", equalTo("bearer"));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }
}
