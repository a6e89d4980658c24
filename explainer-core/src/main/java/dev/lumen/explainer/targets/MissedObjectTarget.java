package dev.lumen.explainer.targets;

import dev.lumen.catalogue.Task;
import dev.lumen.explainer.Prediction;
import dev.lumen.explainer.detection.Boxes;
import dev.lumen.explainer.detection.Detection;
import dev.lumen.explainer.detection.Proposals;
import dev.lumen.explainer.evaluation.MissedObject;
import dev.lumen.explainer.model.InputGeometry;
import java.util.Optional;

/**
 * A ground-truth object the detector missed, as D-RISE's target (Petsiuk et al., 2021, who explain
 * missed objects this way): the target vector is the ground-truth box with a one-hot class vector,
 * so a masked image's weight is its best proposal's similarity to the object (IoU x the proposal's
 * score x the cosine of its class vector with the one-hot). The map shows what makes the model see
 * the object as its class.
 *
 * @param prediction the object as reported: its ground-truth label, index and box (original-image
 *     pixels), with as score its similarity to the unmasked image's best proposal
 * @param object the object as a detection in model-input pixels, for {@link DetectionTarget}'s similarity
 */
public record MissedObjectTarget(Prediction prediction, DetectionTarget object) implements Target<Proposals> {

    /**
     * The target for {@code missed} (which must have a label index) in an image whose unmasked
     * proposals are {@code unmasked}.
     *
     * @param labels number of the model's labels (the class vector's length)
     */
    public static MissedObjectTarget of(MissedObject missed, Task task, int labels, Proposals unmasked,
            InputGeometry geometry) {
        float[] oneHot = new float[labels];
        oneHot[missed.index()] = 1;
        Detection truth = new Detection(Boxes.toInput(missed.box(), geometry), 1, missed.index(), oneHot, null);
        DetectionTarget object = new DetectionTarget(
                new Prediction(task.predictionKind(), missed.label(), missed.index(), 1, missed.box()), truth);
        return new MissedObjectTarget(new Prediction(task.predictionKind(), missed.label(), missed.index(),
                object.similarity(unmasked), missed.box()), object);
    }

    @Override
    public double score(Proposals proposals) {
        return object.similarity(proposals);
    }

    /**
     * Empty: no output element is the object's score, since no proposal predicted it (gradient runs
     * explain missed objects with D-RISE, decision 0071).
     */
    @Override
    public Optional<float[]> gradientSeed(int outputSize) {
        return Optional.empty();
    }

    @Override
    public String role() {
        return MISSED;
    }
}
