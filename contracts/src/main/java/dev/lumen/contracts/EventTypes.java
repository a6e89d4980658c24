package dev.lumen.contracts;

/**
 * CloudEvents {@code type} values of Lumen's events. The trailing {@code vN} is the schema's major
 * version: a breaking change adds a new type instead of changing an existing one.
 */
public final class EventTypes {
    public static final String RUN_REQUESTED = "dev.lumen.run.requested.v1";
    public static final String IMAGE_TASK = "dev.lumen.image.task.v1";
    public static final String IMAGE_RESULT = "dev.lumen.image.result.v1";
    public static final String RUN_PROGRESS = "dev.lumen.run.progress.v1";
    public static final String DEAD_LETTER = "dev.lumen.dead-letter.v1";

    private EventTypes() {
    }
}
