package dev.lumen.runs.rest;

import dev.lumen.runs.testing.TestData;
import dev.lumen.testing.Tokens;
import dev.lumen.testing.LumenStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** Tokens on the API, open operational endpoints (health, metrics, OpenAPI, Swagger UI). */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class AuthAndEndpointsTest {

    @Test
    void aMissingTokenIsA401ProblemWithABearerChallenge() {
        given().when().get("/api/runs")
                .then().statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo("https://lumen.dev/problems/unauthorized"))
                .body("status", equalTo(401))
                .body("instance", equalTo("/api/runs"));
    }

    @Test
    void anExpiredTokenIsA401ProblemThatSaysSo() {
        given().header("Authorization", "Bearer " + Tokens.expired(TestData.tenant()))
                .when().get("/api/datasets")
                .then().statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://lumen.dev/problems/invalid-token"))
                .body("detail", containsString("expired"));
    }

    @Test
    void tokensMustExpireWithinTheMaximumLifetimeAndBeIssuedAlready() {
        String tenant = TestData.tenant();
        refusedToken(Tokens.withoutExpiry(tenant), "token has no expiry");
        refusedToken(Tokens.withoutIssuedAt(tenant), "no valid issue time (iat");
        refusedToken(Tokens.withLifetime(tenant, java.time.Duration.ofDays(36_500)), "longer than tokens may be");
        refusedToken(Tokens.withLifetime(tenant, java.time.Duration.ofHours(25)), "at most 86400 s");
        refusedToken(Tokens.issuedAt(tenant, java.time.Instant.now().plusSeconds(600)), "issued in the future");
        refusedToken(Tokens.notBefore(tenant, java.time.Instant.now().plusSeconds(600)), "not valid yet");

        // Within the limits and the 30-second clock skew, tokens get in.
        for (String token : java.util.List.of(Tokens.withLifetime(tenant, java.time.Duration.ofHours(23)),
                Tokens.issuedAt(tenant, java.time.Instant.now().plusSeconds(10)),
                Tokens.notBefore(tenant, java.time.Instant.now().plusSeconds(10)))) {
            given().header("Authorization", "Bearer " + token).when().get("/api/runs").then().statusCode(200);
        }
    }

    private static void refusedToken(String token, String detail) {
        given().header("Authorization", "Bearer " + token)
                .when().get("/api/runs")
                .then().statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo("https://lumen.dev/problems/invalid-token"))
                .body("detail", containsString(detail));
    }

    @Test
    void aTokenWithoutTenantIsA401Problem() {
        given().header("Authorization", "Bearer " + Tokens.withoutTenant())
                .when().get("/api/runs")
                .then().statusCode(401)
                .body("type", equalTo("https://lumen.dev/problems/invalid-token"))
                .body("detail", containsString("tenant"));
    }

    @Test
    void aValidTokenGetsIn() {
        Tokens.as(TestData.tenant()).when().get("/api/runs").then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void healthMetricsAndOpenApiNeedNoToken() {
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests"));
        given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("paths.'/api/runs'.post", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/runs/{id}/cancel'.post", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/datasets'.get", org.hamcrest.Matchers.notNullValue())
                .body("components.securitySchemes.SecurityScheme.scheme", equalTo("bearer"));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void asyncApiAndTheSchemasItReferencesNeedNoToken() {
        String yaml = given().when().get("/asyncapi.yaml")
                .then().statusCode(200).contentType(startsWith("application/yaml"))
                .extract().asString();
        org.assertj.core.api.Assertions.assertThat(yaml).isEqualTo(dev.lumen.contracts.AsyncApi.yaml());
        given().when().get("/asyncapi.json")
                .then().statusCode(200)
                .body("asyncapi", equalTo("3.0.0"))
                .body("channels.imageTasks.address", equalTo("lumen.image-tasks"))
                .body("components.messages.ImageTask.payload.allOf[1].properties.data.$ref",
                        equalTo("schemas/image-task.v1.json"));
        // The relative reference resolves against the document's URL to this server's copy.
        given().when().get("/schemas/image-task.v1.json")
                .then().statusCode(200).contentType(startsWith("application/schema+json"))
                .body("$id", equalTo("lumen:schemas/image-task.v1.json"));
        given().when().get("/schemas/cloudevent.v1.json")
                .then().statusCode(200).body("properties.traceparent.type", equalTo("string"));
        given().when().get("/schemas/nope.v1.json")
                .then().statusCode(404).contentType(startsWith("application/problem+json"));
        given().when().get("/schemas/..%2Fapplication.properties").then().statusCode(404);
    }
}
