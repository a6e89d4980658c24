package dev.lumen.explainer;

import dev.lumen.explainer.model.LoadedModel;
import dev.lumen.explainer.model.ModelDescriptor;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.explainer.tasks.TaskAdapter;
import dev.lumen.explainer.targets.TargetSelection;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a model once on an image and decodes its outputs exactly as an explanation would, without
 * explaining: what {@code lumen models check} prints and what model registration runs before it
 * accepts a model. A descriptor that contradicts the tensors (a column beyond the row, a class
 * count that does not match the labels, boxes inverted under the declared encoding) fails here
 * with the same {@link dev.lumen.explainer.model.ModelRunException} a worker would meet, naming the field.
 */
public final class ModelCheck {

    private ModelCheck() {
    }

    /**
     * What one image decodes to.
     *
     * @param predictions what the model predicted, as an explanation reports it (boxes in original pixels)
     * @param skippedReason why nothing would be explained (e.g. no prediction above the threshold), or null
     * @param notes how the model runs that a user should know (fixed batch, integer input)
     * @param forwardMs wall time of the forward run
     */
    public record Result(List<Prediction> predictions, String skippedReason, List<String> notes, double forwardMs) {

        /** Copies the lists. */
        public Result {
            predictions = List.copyOf(predictions);
            notes = List.copyOf(notes);
        }
    }

    /**
     * Runs {@code model} on {@code image}.
     *
     * @throws dev.lumen.explainer.model.ModelRunException when the outputs contradict the descriptor
     *     or TensorFlow fails on the input
     */
    public static Result run(LoadedModel model, BufferedImage image) {
        return run(TaskAdapter.of(model), model, image);
    }

    private static <D> Result run(TaskAdapter<D> adapter, LoadedModel model, BufferedImage image) {
        ModelInput input = model.preprocessor().prepare(image);
        long start = System.nanoTime();
        D decoded = adapter.decode(model.forward(List.of(input), null).outputs(), input).get(0);
        double forwardMs = (System.nanoTime() - start) / 1e6;
        TargetSelection<D> selection = adapter.selector().select(decoded, null, input.geometry());
        return new Result(selection.predictions(), selection.skippedReason(), notes(model), forwardMs);
    }

    /** What about the model's input a user should know before explaining with it. */
    public static List<String> notes(LoadedModel model) {
        List<String> notes = new ArrayList<>();
        ModelDescriptor.Input input = model.descriptor().input();
        if (model.maxBatch() == 1) {
            notes.add("the graph fixes the batch at 1: every run feeds one image (perturbation methods run one"
                    + " masked image at a time)");
        }
        if (input.dtype() != ModelDescriptor.Dtype.FLOAT32) {
            notes.add("input is " + input.dtype().id() + ": values are rounded to whole numbers; gradient methods start"
                    + " at the first float tensor after the graph's cast");
        }
        return notes;
    }
}
