package dev.lumen.runs.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits on uploaded model archives (keys {@code lumen.models.*}, env {@code LUMEN_MODELS_*}). */
@ConfigMapping(prefix = "lumen.models")
public interface ModelConfig {

    /** Largest archive accepted, in bytes, as uploaded (compressed). */
    @WithDefault("536870912")
    long maxArchiveBytes();

    /** Most bytes all files of an archive may hold once unpacked; counted while unpacking, never read from headers. */
    @WithDefault("2147483648")
    long maxUncompressedBytes();

    /** Most entries (files and folders) an archive may hold. */
    @WithDefault("10000")
    int maxEntries();

    /**
     * Largest ratio of unpacked bytes to archive bytes (beyond the first MiB): a small archive that would
     * expand enormously (a zip bomb) is refused while it is unpacked.
     */
    @WithDefault("100")
    int maxCompressionRatio();
}
