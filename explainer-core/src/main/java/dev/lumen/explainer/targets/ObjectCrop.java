package dev.lumen.explainer.targets;

import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.render.SaliencyMap;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * Where an attribute model looks for one object: the object's box grown by a context margin on
 * every side and clipped to the image, in whole pixels. The crop is what the model sees (resized to
 * its input like any image); maps computed on it go back to their place in the full image through
 * {@link #placeBack}.
 *
 * @param x left edge of the crop in image pixels
 * @param y top edge of the crop in image pixels
 * @param width crop width in pixels, at least 1
 * @param height crop height in pixels, at least 1
 * @param objectBox the object's box clipped to the image, {@code x1, y1, x2, y2}
 */
public record ObjectCrop(int x, int y, int width, int height, double[] objectBox) {

    /** Context added around an object by default, as a share of its width and height on each side. */
    public static final double DEFAULT_MARGIN = ((Number) MethodCatalogue.CROP_MARGIN.defaultValue()).doubleValue();

    /**
     * The crop around {@code box}: each side moves out by {@code margin} times the box's width (left
     * and right) or height (top and bottom), then the rectangle is rounded outwards to whole pixels
     * and clipped to the image.
     *
     * @throws IllegalArgumentException when the box does not overlap the image
     */
    public static ObjectCrop around(double[] box, double margin, int imageWidth, int imageHeight) {
        double[] clipped = {clamp(box[0], imageWidth), clamp(box[1], imageHeight), clamp(box[2], imageWidth),
                clamp(box[3], imageHeight)};
        if (clipped[2] <= clipped[0] || clipped[3] <= clipped[1]) {
            throw new IllegalArgumentException("box " + Arrays.toString(box) + " lies outside the " + imageWidth + "x"
                    + imageHeight + " image");
        }
        double padX = margin * (box[2] - box[0]);
        double padY = margin * (box[3] - box[1]);
        int left = (int) Math.floor(clamp(clipped[0] - padX, imageWidth));
        int top = (int) Math.floor(clamp(clipped[1] - padY, imageHeight));
        int right = Math.max(left + 1, (int) Math.ceil(clamp(clipped[2] + padX, imageWidth)));
        int bottom = Math.max(top + 1, (int) Math.ceil(clamp(clipped[3] + padY, imageHeight)));
        return new ObjectCrop(left, top, right - left, bottom - top, clipped);
    }

    /** The whole image as the crop of one object that fills it. */
    public static ObjectCrop whole(int imageWidth, int imageHeight) {
        return new ObjectCrop(0, 0, imageWidth, imageHeight, new double[] {0, 0, imageWidth, imageHeight});
    }

    /** The object's box (clipped to the image). */
    @Override
    public double[] objectBox() {
        return objectBox.clone();
    }

    /** The crop's pixels (a view sharing the image's data). */
    public BufferedImage cut(BufferedImage image) {
        return image.getSubimage(x, y, width, height);
    }

    /**
     * A map over the whole image of {@code mapWidth x mapHeight} cells that holds {@code cropMap}
     * (a map aligned to this crop, any resolution) at the crop's place and zero elsewhere.
     */
    public SaliencyMap placeBack(SaliencyMap cropMap, int imageWidth, int imageHeight, int mapWidth, int mapHeight) {
        double scaleX = mapWidth / (double) imageWidth;
        double scaleY = mapHeight / (double) imageHeight;
        double stepX = width / (double) cropMap.width() * scaleX;
        double stepY = height / (double) cropMap.height() * scaleY;
        SaliencyMap spread = cropMap.resample(mapWidth, mapHeight, x * scaleX + stepX / 2, stepX, y * scaleY + stepY / 2,
                stepY);
        float[] placed = new float[mapWidth * mapHeight];
        for (int row = 0; row < mapHeight; row++) {
            double centreY = (row + 0.5) / scaleY;
            if (centreY < y || centreY >= y + height) {
                continue;
            }
            for (int column = 0; column < mapWidth; column++) {
                double centreX = (column + 0.5) / scaleX;
                if (centreX >= x && centreX < x + width) {
                    placed[row * mapWidth + column] = spread.get(column, row);
                }
            }
        }
        return new SaliencyMap(placed, mapWidth, mapHeight);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ObjectCrop c && c.x == x && c.y == y && c.width == width && c.height == height
                && Arrays.equals(c.objectBox, objectBox);
    }

    @Override
    public int hashCode() {
        return ((31 * x + y) * 31 + width) * 31 + height;
    }

    @Override
    public String toString() {
        return "ObjectCrop[" + width + "x" + height + "+" + x + "+" + y + ", object " + Arrays.toString(objectBox) + "]";
    }

    private static double clamp(double value, int limit) {
        return Math.min(Math.max(value, 0), limit);
    }
}
