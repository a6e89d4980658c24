package dev.lumen.explainer.evaluation;

/**
 * What a prediction is against the image's ground truth. Detections follow the error types of TIDE
 * (Bolya et al., 2020), after Hoiem et al. (2012), which D-RISE's error labels use too; label
 * predictions are right or wrong (decision 0070).
 */
public enum MatchType {
    /** A detection matched to a ground-truth object of its class at IoU at least 0.5. */
    TRUE_POSITIVE("true-positive"),
    /** A detection overlapping no ground-truth object enough to be any other type. */
    BACKGROUND("background"),
    /** A detection of the right class whose box is off: IoU with a same-class object in [0.1, 0.5). */
    LOCALISATION("localisation"),
    /** A detection of an object a better-scored detection of its class already matched. */
    DUPLICATE("duplicate"),
    /** A detection on a ground-truth object (IoU at least 0.5) of another class. */
    CLASS_CONFUSION("class-confusion"),
    /** A class or tag the ground truth gives the image. */
    CORRECT("correct"),
    /** A class or tag the ground truth does not give the image. */
    WRONG("wrong");

    private final String id;

    MatchType(String id) {
        this.id = id;
    }

    /** The type as events and the API name it. */
    public String id() {
        return id;
    }
}
