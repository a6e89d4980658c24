package dev.lumen.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class HeatmapRendererTest {

    private static final SaliencyMap RAMP = new SaliencyMap(new float[] {0, 1, 2, 3}, 4, 1);

    @Test
    void heatmapHasTheRequestedSizeAndUsesTheColormap() {
        BufferedImage image = HeatmapRenderer.heatmap(RAMP, 40, 20, false);
        assertThat(image.getWidth()).isEqualTo(40);
        assertThat(image.getHeight()).isEqualTo(20);
        assertThat(image.getRGB(0, 10)).isEqualTo(Colormaps.argb(0));
        assertThat(image.getRGB(39, 10)).isEqualTo(Colormaps.argb(1));
    }

    @Test
    void legendAddsALabelledColourBarBelow() {
        BufferedImage image = HeatmapRenderer.heatmap(RAMP, 200, 100, true);
        assertThat(image.getWidth()).isEqualTo(200);
        assertThat(image.getHeight()).isGreaterThan(100);
        int white = 0;
        int colourful = 0;
        for (int y = 100; y < image.getHeight(); y++) {
            for (int x = 0; x < 200; x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                if (rgb == 0xFFFFFF) {
                    white++;
                } else if (rgb != 0x202020) {
                    colourful++;
                }
            }
        }
        assertThat(white).as("label pixels").isGreaterThan(20);
        assertThat(colourful).as("colour bar pixels").isGreaterThan(200);
    }

    @Test
    void overlayBlendsByAlpha() {
        BufferedImage photo = new BufferedImage(8, 4, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 8; x++) {
            for (int y = 0; y < 4; y++) {
                photo.setRGB(x, y, 0x808080);
            }
        }
        assertThat(HeatmapRenderer.overlay(photo, RAMP, 0).getRGB(3, 2) & 0xFFFFFF).isEqualTo(0x808080);
        assertThat(HeatmapRenderer.overlay(photo, RAMP, 1).getRGB(7, 2)).isEqualTo(Colormaps.argb(1));
        int half = HeatmapRenderer.overlay(photo, RAMP, 0.5).getRGB(7, 2);
        int hot = Colormaps.argb(1);
        assertThat(half >> 16 & 0xFF).isEqualTo((int) Math.round(((hot >> 16 & 0xFF) + 0x80) / 2.0));
    }

    @Test
    void pngBytesDecodeToTheSameImage() throws Exception {
        BufferedImage image = HeatmapRenderer.heatmap(RAMP, 16, 8, false);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(HeatmapRenderer.png(image)));
        assertThat(decoded.getWidth()).isEqualTo(16);
        assertThat(decoded.getRGB(15, 3)).isEqualTo(image.getRGB(15, 3));
    }
}
