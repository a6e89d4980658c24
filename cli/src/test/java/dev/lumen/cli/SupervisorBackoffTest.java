package dev.lumen.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The supervisor's restart backoff: 1 s doubling per restart in a row, never beyond 30 s. */
class SupervisorBackoffTest {

    @Test
    void doublesFromOneSecondUpToThirty() {
        assertThat(IntStream.rangeClosed(1, 7).mapToObj(Supervisor::backoff).map(Duration::toSeconds))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L);
        assertThat(Supervisor.backoff(1_000)).isEqualTo(Duration.ofSeconds(30));
    }
}
