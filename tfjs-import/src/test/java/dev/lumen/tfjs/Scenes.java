package dev.lumen.tfjs;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Deterministic synthetic photos for model tests: a person (head, hair, torso) in front of a sky
 * and a lawn, with a ball. Image-like inputs keep the real models' activations in their usual
 * range, where a noise input would leave e.g. the selfie mask empty and the comparison trivial.
 */
final class Scenes {

    private Scenes() {
    }

    /** Film grain: real photos are never flat, and flat regions drive some models to extreme logits. */
    private static void addGrain(BufferedImage image, int variant) {
        Random random = new Random(1234 + variant);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int grain = (int) Math.round(random.nextGaussian() * 12);
                int r = clamp(((rgb >> 16) & 0xff) + grain);
                int gr = clamp(((rgb >> 8) & 0xff) + grain);
                int b = clamp((rgb & 0xff) + grain);
                image.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
    }

    private static int clamp(int value) {
        return Math.max(0, Math.min(255, value));
    }

    /** The scene at {@code width x height}; {@code variant} moves the person and the ball. */
    static BufferedImage person(int width, int height, int variant) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        // No antialiasing: pixels must not depend on the JDK's rasterizer details.
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setPaint(new GradientPaint(0, 0, new Color(120, 170, 230), 0, height * 0.6f, new Color(210, 225, 240)));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(70, 140, 60));
        g.fillRect(0, (int) (height * 0.65), width, height);
        double shift = (variant % 3 - 1) * 0.18;
        int cx = (int) (width * (0.5 + shift));
        g.setColor(new Color(35, 50, 110));
        g.fillOval(cx - (int) (width * 0.2), (int) (height * 0.5), (int) (width * 0.4), (int) (height * 0.9));
        g.setColor(new Color(222, 173, 140));
        g.fillOval(cx - (int) (width * 0.11), (int) (height * 0.18), (int) (width * 0.22), (int) (height * 0.3));
        g.setColor(new Color(50, 30, 20));
        g.fillArc(cx - (int) (width * 0.115), (int) (height * 0.16), (int) (width * 0.23), (int) (height * 0.16), 0, 180);
        g.setColor(new Color(30, 30, 30));
        g.fillOval(cx - (int) (width * 0.05), (int) (height * 0.3), width / 40 + 1, height / 60 + 1);
        g.fillOval(cx + (int) (width * 0.03), (int) (height * 0.3), width / 40 + 1, height / 60 + 1);
        g.setColor(new Color(240, 240, 240));
        int ball = (int) (width * 0.12);
        g.fillOval((int) (width * (0.78 - shift)) - ball / 2, (int) (height * 0.8), ball, ball);
        g.dispose();
        addGrain(image, variant);
        return image;
    }
}
