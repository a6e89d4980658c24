package dev.lumen.explainer.metric;

import dev.lumen.render.SaliencyMap;

/**
 * The pointing game (Zhang et al., 2016): an explanation scores a hit when its maximum lies on the
 * object. When several pixels share the maximum (maps are flat beyond the outermost cell centres),
 * a hit needs only one of them on the object.
 */
public final class PointingGame {

    private PointingGame() {
    }

    /**
     * Whether the map's maximum lies inside {@code box}.
     *
     * @param map a map aligned to the full image (any resolution)
     * @param box {@code x1, y1, x2, y2} in image pixels, x2 and y2 exclusive
     * @param imageWidth the image's width in pixels
     * @param imageHeight the image's height in pixels
     * @param tolerance pixels by which the box is grown on every side (the original game uses 15)
     */
    public static boolean hit(SaliencyMap map, double[] box, int imageWidth, int imageHeight, double tolerance) {
        float max = map.max();
        double scaleX = imageWidth / (double) map.width();
        double scaleY = imageHeight / (double) map.height();
        for (int y = 0; y < map.height(); y++) {
            double centreY = (y + 0.5) * scaleY;
            if (centreY < box[1] - tolerance || centreY >= box[3] + tolerance) {
                continue;
            }
            for (int x = 0; x < map.width(); x++) {
                double centreX = (x + 0.5) * scaleX;
                if (centreX >= box[0] - tolerance && centreX < box[2] + tolerance && map.get(x, y) == max) {
                    return true;
                }
            }
        }
        return false;
    }
}
