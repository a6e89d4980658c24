package dev.lumen.contracts;

/**
 * CloudEvents {@code type} values of Lumen's events. The trailing {@code vN} is the schema's major
 * version: a breaking change adds a new type instead of changing an existing one.
 */
public final class EventTypes {
    public static final String RUN_REQUESTED = "dev.lumen.run.requested.v1";
    /** A run was cancelled; on the run-requests topic, after the run's request. */
    public static final String RUN_CANCELLED = "dev.lumen.run.cancelled.v1";
    /** A finished run was deleted; on the run-requests topic. */
    public static final String RUN_DELETED = "dev.lumen.run.deleted.v1";
    public static final String IMAGE_TASK = "dev.lumen.image.task.v1";
    public static final String IMAGE_RESULT = "dev.lumen.image.result.v1";
    public static final String RUN_PROGRESS = "dev.lumen.run.progress.v1";
    /** One target's map of an image still being explained; on the image-previews topic, never a result. */
    public static final String IMAGE_PREVIEW = "dev.lumen.image.preview.v1";
    public static final String DEAD_LETTER = "dev.lumen.dead-letter.v1";

    private EventTypes() {
    }
}
