package dev.lumen.cli;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class UiLinksTest {

    private final UiLinks links = new UiLinks("http://127.0.0.1:8082", "eyJh.eyJz.c2ln-_");

    @Test
    void theTokenRidesInTheFragmentWhichNoServerSees() {
        URI run = URI.create(links.run("run-1"));
        assertThat(run.getPath()).isEqualTo("/run.html");
        assertThat(run.getQuery()).isEqualTo("id=run-1");
        assertThat(run.getFragment()).isEqualTo("token=eyJh.eyJz.c2ln-_");
    }

    @Test
    void insightsAndComparisonLinks() {
        assertThat(links.insights("run-1")).isEqualTo("http://127.0.0.1:8082/insights.html?run=run-1#token=eyJh.eyJz.c2ln-_");
        assertThat(links.comparison("a.1", "b_2")).isEqualTo("http://127.0.0.1:8082/compare.html?a=a.1&b=b_2#token=eyJh.eyJz.c2ln-_");
    }

    @Test
    void idsAreEncoded() {
        assertThat(URI.create(links.run("odd id&x=1")).getRawQuery()).isEqualTo("id=odd+id%26x%3D1");
    }
}
