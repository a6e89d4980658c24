package dev.lumen.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Links into results-service's web UI that sign the browser in: the token rides in the fragment
 * ({@code #token=...}), which browsers never send to a server, and the UI moves it into the tab's
 * session storage and out of the address bar.
 */
public record UiLinks(String resultsServiceUrl, String token) {

    /** A run's page: live progress and the gallery. */
    public String run(String runId) {
        return page("/run.html?id=" + encode(runId));
    }

    /** A run's insights page. */
    public String insights(String runId) {
        return page("/insights.html?run=" + encode(runId));
    }

    /** The comparison of two runs over the same images. */
    public String comparison(String runA, String runB) {
        return page("/compare.html?a=" + encode(runA) + "&b=" + encode(runB));
    }

    private String page(String pathAndQuery) {
        return resultsServiceUrl + pathAndQuery + "#token=" + encode(token);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
