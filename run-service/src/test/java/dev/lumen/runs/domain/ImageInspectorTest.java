package dev.lumen.runs.domain;

import dev.lumen.runs.testing.TestData;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ImageInspectorTest {

    private final ImageInspector inspector = new ImageInspector(1_000_000, 10_000);

    @Test
    void readsFormatAndSizeFromTheHeader() {
        for (String format : new String[]{"png", "jpeg", "bmp", "gif"}) {
            byte[] image = TestData.image(format, 40, 30);
            ImageInspector.Inspection inspection = inspector.inspect(image, image.length);
            assertThat(inspection.problem()).as(format).isNull();
            assertThat(inspection.format()).isEqualTo(format);
            assertThat(inspection.width()).isEqualTo(40);
            assertThat(inspection.height()).isEqualTo(30);
        }
    }

    @Test
    void refusesWhatIsNotAnAcceptableImage() {
        byte[] text = "hello".getBytes(StandardCharsets.UTF_8);
        assertThat(inspector.inspect(text, text.length).problem()).contains("not an image");
        assertThat(inspector.inspect(new byte[0], 0).problem()).isEqualTo("empty file");
        byte[] big = TestData.image("png", 200, 100);
        assertThat(inspector.inspect(big, big.length).problem()).contains("200x100 pixels");
        byte[] small = TestData.image("png", 10, 10);
        assertThat(inspector.inspect(small, 2_000_000).problem()).contains("2000000 bytes");
        byte[] truncated = Arrays.copyOf(small, 12);
        assertThat(inspector.inspect(truncated, truncated.length).accepted()).isFalse();
    }

    @Test
    void knowsImageExtensions() {
        assertThat(ImageInspector.hasImageExtension("a.JPG")).isTrue();
        assertThat(ImageInspector.hasImageExtension("a.tiff")).isFalse();
        assertThat(ImageInspector.hasImageExtension(".png")).isFalse();
    }
}
