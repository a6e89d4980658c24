package dev.lumen.runs.rest;

import dev.lumen.runs.testing.TestData;
import dev.lumen.service.storage.ObjectStore;
import dev.lumen.testing.LumenStackResource;
import dev.lumen.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The links of {@code POST /api/runs} resolve: {@code self} answers the run at once (no window of
 * 404s after the 202), {@code ui} is the run page the web UI serves, {@code results} is results-service.
 */
@QuarkusTest
@QuarkusTestResource(value = LumenStackResource.class, restrictToAnnotatedClass = false)
class RunLinksTest {

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "lumen.runs.results-base-url")
    String resultsBaseUrl;

    @Test
    void selfAnswersTheRunImmediatelyAfterThe202AndUiIsTheRunPage() {
        String tenant = TestData.tenant();
        TestData.model(store, tenant + "-model", "classification", tenant);
        String dataset = TestData.dataset(tenant, "links", 3);

        JsonPath accepted = Tokens.as(tenant).contentType(ContentType.JSON)
                .body(Map.of("name", "links", "model", tenant + "-model", "dataset", dataset, "method", "gradcam",
                        "imageCount", 2, "seed", 5))
                .when().post("/api/runs")
                .then().statusCode(202).extract().jsonPath();
        String runId = accepted.getString("runId");

        // No pause: the very next request must find the run.
        String self = accepted.getString("links.self");
        assertThat(self).isEqualTo("/api/runs/" + runId);
        Tokens.as(tenant).when().get(self).then().statusCode(200)
                .body("runId", equalTo(runId))
                .body("state", equalTo("QUEUED"));

        assertThat(accepted.getString("links.ui")).isEqualTo(resultsBaseUrl + "/run.html?id=" + runId);
        assertThat(accepted.getString("links.results")).isEqualTo(resultsBaseUrl + "/api/runs/" + runId);
        assertThat(accepted.getMap("links")).containsOnlyKeys("self", "results", "ui");
    }
}
