package dev.lumen.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceProbeTest {

    private static final String EXPOSITION = String.join("\n",
            "# HELP jvm_memory_used_bytes The amount of used memory",
            "# TYPE jvm_memory_used_bytes gauge",
            "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1.2E7",
            "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"} 3.0E7",
            "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 5.5E7",
            "jvm_memory_used_bytes_total 9",
            "lumen_results_readable_seconds{quantile=\"0.5\"} 0.042",
            "lumen_results_readable_seconds{quantile=\"0.95\"} 0.31",
            "lumen_results_readable_seconds_count 7.0",
            "lumen_results_store_seconds_sum NaN");

    @Test
    void sumsTheSamplesOfOneMetricWhoseLabelsMatch() {
        assertThat(ServiceProbe.sum(EXPOSITION, "jvm_memory_used_bytes", "area=\"heap\"")).hasValue(4.2E7);
        assertThat(ServiceProbe.sum(EXPOSITION, "jvm_memory_used_bytes")).hasValue(9.7E7);
        assertThat(ServiceProbe.sum(EXPOSITION, "lumen_results_readable_seconds", "quantile=\"0.95\"")).hasValue(0.31);
        assertThat(ServiceProbe.sum(EXPOSITION, "lumen_results_readable_seconds_count")).hasValue(7.0);
    }

    @Test
    void aMissingMetricOrServiceIsEmptyNotZero() {
        assertThat(ServiceProbe.sum(EXPOSITION, "lumen_worker_images_total")).isEmpty();
        assertThat(ServiceProbe.sum(null, "jvm_memory_used_bytes")).isEmpty();
        assertThat(ServiceProbe.sum(EXPOSITION, "lumen_results_store_seconds_sum").getAsDouble()).isNaN();
    }
}
