package dev.lumen.contracts;

/** Placeholder; the contracts work replaces this with the schema registry of the module. */
public final class Schemas {
    private Schemas() {
    }

    /** The {@code dataschema} URI of an event type, e.g. {@code lumen:schemas/run-requested.v1.json}. */
    public static String schemaUriFor(String type) {
        return switch (type) {
            case EventTypes.RUN_REQUESTED -> "lumen:schemas/run-requested.v1.json";
            case EventTypes.IMAGE_TASK -> "lumen:schemas/image-task.v1.json";
            case EventTypes.IMAGE_RESULT -> "lumen:schemas/image-result.v1.json";
            case EventTypes.RUN_PROGRESS -> "lumen:schemas/run-progress.v1.json";
            case EventTypes.DEAD_LETTER -> "lumen:schemas/dead-letter.v1.json";
            default -> throw new IllegalArgumentException("unknown event type " + type);
        };
    }
}
