package dev.lumen.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The terminal bar writes counts, throughput and the ETA as the run page does. */
class ProgressBarTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void writesTheEtaAsTheRunPageDoes() {
        assertThat(ProgressBar.duration(0)).isEqualTo("0 s");
        assertThat(ProgressBar.duration(45)).isEqualTo("45 s");
        assertThat(ProgressBar.duration(200)).isEqualTo("3 min 20 s");
        assertThat(ProgressBar.duration(3720)).isEqualTo("1 h 2 min");
    }

    @Test
    void rendersCountsRateAndEta() {
        ObjectNode p = mapper.createObjectNode().put("total", 10).put("explained", 3).put("skipped", 1).put("failed", 1)
                .put("imagesPerSecond", 0.25).put("etaSeconds", 21).put("state", "RUNNING");
        assertThat(ProgressBar.render(p)).isEqualTo(
                "[###############...............] 5/10  explained 3  skipped 1  failed 1  4.0 s/img  ETA 21 s  RUNNING");
        p.putNull("etaSeconds");
        assertThat(ProgressBar.render(p)).doesNotContain("ETA");
    }
}
