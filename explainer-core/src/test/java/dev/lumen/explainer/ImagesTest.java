package dev.lumen.explainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.render.HeatmapRenderer;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImagesTest {

    private static byte[] png(int width, int height, int type) {
        return HeatmapRenderer.png(new BufferedImage(width, height, type));
    }

    @Test
    void decodesToRgbWhateverTheSourceType() {
        BufferedImage image = Images.decode(png(7, 5, BufferedImage.TYPE_BYTE_GRAY));
        assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(image.getWidth()).isEqualTo(7);
        assertThat(image.getHeight()).isEqualTo(5);
    }

    @Test
    void transparentPixelsBecomeWhite() {
        BufferedImage image = Images.decode(png(2, 2, BufferedImage.TYPE_INT_ARGB));
        assertThat(image.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }

    @Test
    void corruptDataIsReportedAsCorrupt() {
        byte[] valid = png(64, 64, BufferedImage.TYPE_INT_RGB);
        byte[] truncated = Arrays.copyOf(valid, valid.length / 2);
        assertThatThrownBy(() -> Images.decode(truncated))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("corrupt");
        byte[] garbled = valid.clone();
        for (int i = 40; i < garbled.length; i++) {
            garbled[i] = (byte) (i * 31);
        }
        assertThatThrownBy(() -> Images.decode(garbled)).isInstanceOf(ImageDecodeException.class);
    }

    @Test
    void unknownFormatsAndEmptyDataAreRefusedWithAReason() {
        assertThatThrownBy(() -> Images.decode("not an image at all".getBytes()))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("unsupported image format")
                .hasMessageContaining("png");
        assertThatThrownBy(() -> Images.decode(new byte[0]))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void imagesAboveThePixelLimitAreRefusedFromTheirHeader() {
        assertThatThrownBy(() -> Images.decode(png(100, 100, BufferedImage.TYPE_INT_RGB), 9_999))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("100x100")
                .hasMessageContaining("limit of 9999 pixels");
    }
}
