package dev.lumen.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Draws predicted boxes over an image, one colour per label, without any text (so it never depends
 * on system fonts): whoever shows the picture lists the boxes with their colours.
 */
public final class BoxOverlay {

    /** Colours by label index, cycled: distinct on photos and on each other. */
    private static final int[] PALETTE = {
        0xE6194B, 0x3CB44B, 0xFFE119, 0x4363D8, 0xF58231, 0x911EB4, 0x46F0F0, 0xF032E6, 0xBCF60C, 0xFABEBE};
    private static final String[] NAMES = {
        "red", "green", "yellow", "blue", "orange", "purple", "cyan", "magenta", "lime", "pink"};

    private BoxOverlay() {
    }

    /** The name of the colour {@link #draw} uses for {@code label}. */
    public static String colourName(int label) {
        return NAMES[Math.floorMod(label, NAMES.length)];
    }

    /**
     * A copy of {@code image} with each box outlined.
     *
     * @param boxes {@code x1, y1, x2, y2} in the image's pixels
     * @param labels per box its label index (chooses the colour)
     */
    public static BufferedImage draw(BufferedImage image, List<double[]> boxes, List<Integer> labels) {
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = copy.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
            float stroke = Math.max(2, Math.min(image.getWidth(), image.getHeight()) / 150f);
            g.setStroke(new BasicStroke(stroke));
            for (int i = 0; i < boxes.size(); i++) {
                double[] box = boxes.get(i);
                g.setColor(new Color(PALETTE[Math.floorMod(labels.get(i), PALETTE.length)]));
                g.drawRect((int) Math.round(box[0]), (int) Math.round(box[1]),
                        (int) Math.round(box[2] - box[0]), (int) Math.round(box[3] - box[1]));
            }
        } finally {
            g.dispose();
        }
        return copy;
    }
}
