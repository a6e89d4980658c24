package dev.lumen.explainer.targets;

import dev.lumen.catalogue.Task;
import dev.lumen.explainer.Prediction;
import dev.lumen.explainer.TargetExplanation;
import dev.lumen.render.SaliencyMap;

/**
 * One attribute of one object, as an attribute model predicted it on the object's crop (scored
 * like any image, where the attribute is an ordinary label {@link Target}). This reports the
 * attribute with the object's box and puts the crop's map back at the crop's place in a map of the whole image (zero elsewhere), so maps of
 * different objects of one image line up with the image and with each other.
 *
 * @param prediction the attribute, kind {@code attribute}, with the object's box in original-image pixels
 * @param crop where the model looked
 */
public record ObjectAttribute(Prediction prediction, ObjectCrop crop) {

    /** Kind of the predictions it reports. */
    public static final String KIND = Task.ATTRIBUTES.predictionKind();

    /** The target for an attribute the model predicted on {@code crop}. */
    public static ObjectAttribute of(Prediction onCrop, ObjectCrop crop) {
        return new ObjectAttribute(new Prediction(KIND, onCrop.label(), onCrop.index(), onCrop.score(),
                crop.objectBox(), onCrop.group()), crop);
    }

    /**
     * This target's explanation in the whole image, from the explanation computed on the crop. The
     * map keeps the crop map's resolution per image pixel, capped at {@code maxSide} cells on the
     * long side; metrics and the context test are those measured on the crop.
     */
    public TargetExplanation placeBack(TargetExplanation onCrop, int imageWidth, int imageHeight, int maxSide) {
        SaliencyMap cropMap = onCrop.saliency();
        double cellsPerPixel = Math.max(cropMap.width() / (double) crop.width(), cropMap.height() / (double) crop.height());
        double scale = Math.min(cellsPerPixel, maxSide / (double) Math.max(imageWidth, imageHeight));
        int mapWidth = Math.max(1, (int) Math.round(imageWidth * scale));
        int mapHeight = Math.max(1, (int) Math.round(imageHeight * scale));
        SaliencyMap placed = crop.placeBack(cropMap, imageWidth, imageHeight, mapWidth, mapHeight).normalized();
        return new TargetExplanation(prediction, placed, onCrop.deletionAuc(), onCrop.insertionAuc(), null,
                onCrop.context());
    }
}
