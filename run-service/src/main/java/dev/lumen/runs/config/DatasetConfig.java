package dev.lumen.runs.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits on datasets (keys {@code lumen.datasets.*}, env {@code LUMEN_DATASETS_*}). */
@ConfigMapping(prefix = "lumen.datasets")
public interface DatasetConfig {

    /** Largest image file accepted, in bytes. */
    @WithDefault("33554432")
    long maxImageBytes();

    /**
     * Largest image accepted, in pixels (width x height), read from the header before anything is
     * decoded: a small file that would expand to gigabytes (a decompression bomb) is refused.
     */
    @WithDefault("40000000")
    long maxImagePixels();

    /** Most images one dataset may hold (one upload, or one registered prefix). */
    @WithDefault("20000")
    int maxImages();

    /** Largest ground-truth (COCO JSON) file accepted, in bytes. */
    @WithDefault("67108864")
    long maxGroundTruthBytes();
}
