package dev.lumen.render;

import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * A tiny pixel font holding only the letters the legend needs ("low", "high"), so rendering never
 * depends on system fonts. Glyphs are 5 x 8 cells (the last row is the descender of "g").
 */
final class BitmapFont {

    static final int GLYPH_WIDTH = 5;
    static final int GLYPH_HEIGHT = 8;
    private static final int SPACING = 1;

    private static final Map<Character, String[]> GLYPHS = Map.of(
            'l', new String[] {"..X..", "..X..", "..X..", "..X..", "..X..", "..X..", "..XX.", "....."},
            'o', new String[] {".....", ".....", ".XXX.", "X...X", "X...X", "X...X", ".XXX.", "....."},
            'w', new String[] {".....", ".....", "X...X", "X...X", "X.X.X", "X.X.X", ".X.X.", "....."},
            'h', new String[] {"X....", "X....", "XXXX.", "X...X", "X...X", "X...X", "X...X", "....."},
            'i', new String[] {"..X..", ".....", ".XX..", "..X..", "..X..", "..X..", ".XXX.", "....."},
            'g', new String[] {".....", ".....", ".XXXX", "X...X", "X...X", ".XXXX", "....X", "XXXX."});

    private BitmapFont() {
    }

    /** Width in pixels of {@code text} drawn at {@code scale}. */
    static int width(String text, int scale) {
        return text.isEmpty() ? 0 : (text.length() * (GLYPH_WIDTH + SPACING) - SPACING) * scale;
    }

    /** Draws {@code text} with its top-left corner at ({@code left}, {@code top}), clipped to the image. */
    static void draw(BufferedImage image, String text, int left, int top, int scale, int argb) {
        for (int c = 0; c < text.length(); c++) {
            String[] glyph = GLYPHS.get(text.charAt(c));
            if (glyph == null) {
                throw new IllegalArgumentException("no glyph for '" + text.charAt(c) + "'");
            }
            int glyphLeft = left + c * (GLYPH_WIDTH + SPACING) * scale;
            for (int row = 0; row < GLYPH_HEIGHT; row++) {
                for (int col = 0; col < GLYPH_WIDTH; col++) {
                    if (glyph[row].charAt(col) == 'X') {
                        fill(image, glyphLeft + col * scale, top + row * scale, scale, argb);
                    }
                }
            }
        }
    }

    private static void fill(BufferedImage image, int x, int y, int size, int argb) {
        for (int dy = 0; dy < size; dy++) {
            for (int dx = 0; dx < size; dx++) {
                int px = x + dx;
                int py = y + dy;
                if (px >= 0 && py >= 0 && px < image.getWidth() && py < image.getHeight()) {
                    image.setRGB(px, py, argb);
                }
            }
        }
    }
}
