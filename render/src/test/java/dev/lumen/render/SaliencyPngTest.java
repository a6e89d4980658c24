package dev.lumen.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SaliencyPngTest {

    @Test
    void roundTripIsLinearWithTheMaximumAtFullScale() throws Exception {
        Random random = new Random(7);
        float[] values = new float[40 * 30];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat() * 3;
        }
        values[17] = 3.5f;
        SaliencyMap map = new SaliencyMap(values, 40, 30);

        byte[] png = SaliencyPng.encode16(map);

        BufferedImage raw = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(raw.getRaster().getSampleModel().getSampleSize(0)).isEqualTo(16);
        assertThat(raw.getRaster().getSample(17, 0, 0)).isEqualTo(65535);
        SaliencyMap decoded = SaliencyPng.decode16(png);
        assertThat(decoded.width()).isEqualTo(40);
        assertThat(decoded.height()).isEqualTo(30);
        for (int i = 0; i < values.length; i++) {
            assertThat(decoded.values()[i]).isCloseTo(values[i] / 3.5f, within(1f / 65535));
        }
    }

    @Test
    void negativeValuesClipToZeroAndEmptyMapsStayZero() {
        SaliencyMap decoded = SaliencyPng.decode16(SaliencyPng.encode16(new SaliencyMap(new float[] {-1, 0, 2}, 3, 1)));
        assertThat(decoded.values()).containsExactly(0f, 0f, 1f);
        assertThat(SaliencyPng.decode16(SaliencyPng.encode16(SaliencyMap.zeros(4, 4))).values()).containsOnly(0f);
    }

    @Test
    void rejectsColourImages() {
        byte[] colour = HeatmapRenderer.png(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB));
        assertThatThrownBy(() -> SaliencyPng.decode16(colour)).hasMessageContaining("grayscale");
        assertThatThrownBy(() -> SaliencyPng.decode16(new byte[] {1, 2, 3})).isInstanceOf(IllegalArgumentException.class);
    }
}
