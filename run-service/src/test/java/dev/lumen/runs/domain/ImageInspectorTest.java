package dev.lumen.runs.domain;

import dev.lumen.runs.testing.TestData;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Images are checked from their header, then decoded whole: damage is refused with the reason. */
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
    void decodesWholeImagesOfEveryFormatAndColourType() {
        for (String format : new String[]{"png", "jpeg", "bmp", "gif"}) {
            assertThat(inspector.decode(TestData.image(format, 40, 30)).problem()).as(format).isNull();
        }
        for (int type : new int[]{BufferedImage.TYPE_USHORT_GRAY, BufferedImage.TYPE_BYTE_BINARY,
                BufferedImage.TYPE_BYTE_INDEXED, BufferedImage.TYPE_INT_ARGB}) {
            assertThat(inspector.decode(TestData.encode(new BufferedImage(20, 10, type), "png")).problem()).as("image type " + type).isNull();
        }
    }

    @Test
    void refusesDamagedImagesWithTheReason() {
        assertThat(inspector.decode(TestData.truncatedPng()).problem()).startsWith("truncated PNG");
        byte[] png = TestData.image("png", 64, 48);
        assertThat(inspector.decode(Arrays.copyOf(png, 40)).problem()).startsWith("truncated PNG");
        assertThat(inspector.decode(TestData.badCrcPng()).problem()).contains("CRC mismatch in chunk IDAT");
        assertThat(inspector.decode(TestData.pngWithHeader(8, 5)).problem()).contains("unsupported PNG colour type 5");
        assertThat(inspector.decode(TestData.pngWithHeader(3, 2)).problem()).contains("unsupported PNG bit depth 3");

        assertThat(inspector.decode(TestData.truncatedJpeg()).problem()).startsWith("corrupt or truncated image data");
        byte[] jpeg = TestData.image("jpeg", 64, 48);
        assertThat(inspector.decode(Arrays.copyOf(jpeg, jpeg.length / 2)).accepted()).isFalse();
        byte[] gif = TestData.image("gif", 64, 48);
        assertThat(inspector.decode(Arrays.copyOf(gif, gif.length / 2)).accepted()).isFalse();
        byte[] bmp = TestData.image("bmp", 64, 48);
        assertThat(inspector.decode(Arrays.copyOf(bmp, bmp.length / 2)).problem())
                .startsWith("corrupt or truncated image data");
        // The header check still comes first: no pixel of an oversized image is decoded.
        assertThat(inspector.decode(TestData.image("png", 200, 100)).problem()).contains("200x100 pixels");
    }

    @Test
    void knowsImageExtensions() {
        assertThat(ImageInspector.hasImageExtension("a.JPG")).isTrue();
        assertThat(ImageInspector.hasImageExtension("a.tiff")).isFalse();
        assertThat(ImageInspector.hasImageExtension(".png")).isFalse();
    }
}
