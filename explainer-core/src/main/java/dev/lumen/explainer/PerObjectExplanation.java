package dev.lumen.explainer;

import dev.lumen.explainer.targets.ObjectAttribute;
import dev.lumen.explainer.targets.ObjectCrop;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Explains an attribute model object by object: each object's crop ({@link ObjectCrop}) is
 * explained like a whole image by whichever method was asked for, and every attribute predicted on
 * it becomes an {@link ObjectAttribute} with the object's box and a map of the whole image.
 * Without objects the whole image is the one object.
 */
final class PerObjectExplanation {

    /** Most objects explained in one image (each costs a forward pass and a gradient run). */
    static final int MAX_OBJECTS = 100;
    /** Longest side of the whole-image maps. */
    static final int MAX_MAP_SIDE = 1024;

    private PerObjectExplanation() {
    }

    /**
     * Explains every one of {@code objects} (or the whole image when there are none) with
     * {@code explainCrop}, each on its crop with {@code margin} of context. {@code explainCrop} gets
     * the crop and the object in the crop's pixels (the context test's reference box), or null for
     * the whole image.
     *
     * @throws IllegalArgumentException for too many objects or an object outside the image, naming it
     */
    static ExplainResult explain(BufferedImage image, List<ImageObject> objects, double margin,
            BiFunction<BufferedImage, ImageObject, ExplainResult> explainCrop) {
        long start = System.nanoTime();
        List<ObjectCrop> crops = crops(image, objects, margin);
        boolean named = !objects.isEmpty();
        List<Prediction> predictions = new ArrayList<>();
        List<TargetExplanation> explanations = new ArrayList<>();
        Set<String> notes = new LinkedHashSet<>();
        String skipped = null;
        String targetLayer = null;
        long forwardPasses = 0;
        long masksUsed = 0;
        int forwardBatch = 1;
        for (int i = 0; i < crops.size(); i++) {
            ObjectCrop crop = crops.get(i);
            ExplainResult result = explainCrop.apply(crop.cut(image), named ? inCrop(objects.get(i), crop) : null);
            String prefix = named ? "objects[" + i + "]: " : "";
            // Explained targets are among the predictions: keep them one object, as on the crop.
            Map<Prediction, ObjectAttribute> targets = new IdentityHashMap<>();
            for (Prediction onCrop : result.predictions()) {
                ObjectAttribute target = ObjectAttribute.of(onCrop, crop);
                targets.put(onCrop, target);
                predictions.add(target.prediction());
            }
            for (TargetExplanation onCrop : result.explanations()) {
                ObjectAttribute target = targets.computeIfAbsent(onCrop.target(), p -> ObjectAttribute.of(p, crop));
                explanations.add(target.placeBack(onCrop, image.getWidth(), image.getHeight(), MAX_MAP_SIDE));
            }
            result.notes().forEach(note -> notes.add(prefix + note));
            if (result.skippedReason() != null) {
                skipped = skipped == null ? result.skippedReason() : skipped;
                if (named) {
                    notes.add(prefix + "skipped, " + result.skippedReason());
                }
            }
            targetLayer = targetLayer == null ? result.targetLayer() : targetLayer;
            forwardPasses += result.forwardPasses();
            masksUsed += result.masksUsed();
            forwardBatch = Math.max(forwardBatch, result.forwardBatch());
        }
        return new ExplainResult(predictions, explanations, targetLayer, explanations.isEmpty() ? skipped : null,
                (System.nanoTime() - start) / 1_000_000, forwardPasses, List.copyOf(notes), masksUsed, forwardBatch);
    }

    /** {@code object} in the pixels of its crop (its box clipped to the image, then shifted). */
    private static ImageObject inCrop(ImageObject object, ObjectCrop crop) {
        double[] box = crop.objectBox();
        return new ImageObject(new double[] {box[0] - crop.x(), box[1] - crop.y(), box[2] - crop.x(), box[3] - crop.y()},
                object.label());
    }

    private static List<ObjectCrop> crops(BufferedImage image, List<ImageObject> objects, double margin) {
        if (objects.isEmpty()) {
            return List.of(ObjectCrop.whole(image.getWidth(), image.getHeight()));
        }
        if (objects.size() > MAX_OBJECTS) {
            throw new IllegalArgumentException("objects: at most " + MAX_OBJECTS + " per image, got " + objects.size());
        }
        List<ObjectCrop> crops = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            try {
                crops.add(ObjectCrop.around(objects.get(i).box(), margin, image.getWidth(), image.getHeight()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("objects[" + i + "].box: " + e.getMessage(), e);
            }
        }
        return crops;
    }
}
