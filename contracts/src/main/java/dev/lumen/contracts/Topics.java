package dev.lumen.contracts;

import java.util.List;

/**
 * The Kafka topics that make up Lumen's public contract, with the partition counts and cleanup
 * policies that every deployment (devstack, compose, Kubernetes) must create.
 */
public final class Topics {

    /**
     * A run was requested (by REST or by another platform service), cancelled or deleted. Key: run id,
     * so a run's lifecycle events stay in order.
     */
    public static final String RUN_REQUESTS = "lumen.run-requests";
    /** One image of one run to explain. Key: {@code runId/imageId}. */
    public static final String IMAGE_TASKS = "lumen.image-tasks";
    /** Per-image outcome: explained, skipped or failed. Key: run id. */
    public static final String IMAGE_RESULTS = "lumen.image-results";
    /** Latest state and counts of every run; compacted. Key: run id. */
    public static final String RUN_PROGRESS = "lumen.run-progress";
    /**
     * Maps of images still being explained (RISE, D-RISE), a few per image; never results. Key:
     * {@code runId/imageId}. Not compacted (a key has a preview per target) and kept only
     * {@link #PREVIEW_RETENTION_MS}: a preview is worth something only until its image's result.
     */
    public static final String IMAGE_PREVIEWS = "lumen.image-previews";
    /** How long the broker keeps previews: ten minutes. */
    public static final long PREVIEW_RETENTION_MS = 600_000;
    /** Messages that no consumer could process, with the reason. Key: the original key. */
    public static final String DEAD_LETTERS = "lumen.dead-letters";

    /**
     * Declaration of one topic as every deployment must create it.
     *
     * @param retentionMs the topic's {@code retention.ms}, or null for the broker's default
     */
    public record TopicSpec(String name, int partitions, boolean compacted, Long retentionMs) {

        /** A topic with the broker's default retention. */
        public TopicSpec(String name, int partitions, boolean compacted) {
            this(name, partitions, compacted, null);
        }
    }

    /** Every topic with its partition count; image tasks get enough partitions for 12 workers per run. */
    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(RUN_REQUESTS, 3, false),
            new TopicSpec(IMAGE_TASKS, 12, false),
            new TopicSpec(IMAGE_RESULTS, 6, false),
            new TopicSpec(RUN_PROGRESS, 3, true),
            new TopicSpec(IMAGE_PREVIEWS, 6, false, PREVIEW_RETENTION_MS),
            new TopicSpec(DEAD_LETTERS, 1, false));

    private Topics() {
    }

    /** The key of an image task: run id and image id joined by a slash. */
    public static String imageTaskKey(String runId, String imageId) {
        return runId + "/" + imageId;
    }
}
