package dev.lumen.explainer;

import dev.lumen.explainer.model.InvalidDescriptorException;
import dev.lumen.explainer.model.ModelDescriptor;
import dev.lumen.explainer.model.Preprocessor;
import dev.lumen.explainer.targets.ObjectCrop;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * What an attribute model is given for one object of an image: the object's {@link ObjectCrop}
 * with the default context margin, prepared by the model's {@link Preprocessor}, as the explainer
 * gives it when it explains that object. For training attribute models on the pixels they will be
 * explained on, as the attributor fixture does. Thread-safe.
 */
public final class ObjectInputs {

    private final Preprocessor preprocessor;

    private ObjectInputs(Preprocessor preprocessor) {
        this.preprocessor = preprocessor;
    }

    /**
     * The inputs of the model described in {@code modelDir}. Only its {@code lumen-model.json} is
     * read, so the SavedModel need not exist yet.
     *
     * @throws InvalidDescriptorException naming the file and the offending field
     */
    public static ObjectInputs of(Path modelDir) {
        return new ObjectInputs(new Preprocessor(ModelDescriptor.read(modelDir).input()));
    }

    /**
     * The model input for the object at {@code box} ({@code x1, y1, x2, y2} in pixels) of
     * {@code image}: RGB values 0..255, interleaved, row-major, at the model's input size.
     *
     * @throws IllegalArgumentException when the box does not overlap the image
     */
    public float[] pixels(BufferedImage image, double[] box) {
        ObjectCrop crop = ObjectCrop.around(box, ObjectCrop.DEFAULT_MARGIN, image.getWidth(), image.getHeight());
        return preprocessor.prepare(crop.cut(image)).pixels();
    }
}
