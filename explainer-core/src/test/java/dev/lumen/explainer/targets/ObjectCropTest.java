package dev.lumen.explainer.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lumen.explainer.Prediction;
import dev.lumen.explainer.TargetExplanation;
import dev.lumen.render.SaliencyMap;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ObjectCropTest {

    @Test
    void growsTheBoxByTheMarginAndRoundsOutwards() {
        ObjectCrop crop = ObjectCrop.around(new double[] {10.5, 20, 50.5, 60}, 0.25, 100, 100);
        // 40 px wide and high: 10 px of context on each side, 0.5 px rounded outwards.
        assertThat(crop).isEqualTo(new ObjectCrop(0, 10, 61, 60, new double[] {10.5, 20, 50.5, 60}));
    }

    @Test
    void clipsToTheImageAndRefusesBoxesOutsideIt() {
        ObjectCrop crop = ObjectCrop.around(new double[] {90, 80, 130, 120}, 0.25, 100, 100);
        assertThat(crop.x()).isEqualTo(80);
        assertThat(crop.y()).isEqualTo(70);
        assertThat(crop.width()).isEqualTo(20);
        assertThat(crop.height()).isEqualTo(30);
        assertThat(crop.objectBox()).containsExactly(90, 80, 100, 100);
        assertThatThrownBy(() -> ObjectCrop.around(new double[] {100, 0, 120, 10}, 0.25, 100, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("box [100.0, 0.0, 120.0, 10.0] lies outside the 100x100 image");
    }

    @Test
    void cutsTheCropsPixels() {
        BufferedImage image = new BufferedImage(50, 40, BufferedImage.TYPE_INT_RGB);
        image.setRGB(12, 7, 0xFF0000);
        BufferedImage cut = new ObjectCrop(10, 5, 20, 10, new double[] {12, 7, 28, 13}).cut(image);
        assertThat(cut.getWidth()).isEqualTo(20);
        assertThat(cut.getHeight()).isEqualTo(10);
        assertThat(cut.getRGB(2, 2) & 0xFFFFFF).isEqualTo(0xFF0000);
    }

    @Test
    void placesACropMapAtTheCropsPlaceAndZeroElsewhere() {
        ObjectCrop crop = new ObjectCrop(50, 20, 40, 40, new double[] {60, 30, 80, 50});
        float[] values = new float[16];
        values[3] = 1; // top-right cell of a 4x4 map: crop pixels 30..40 x 0..10, centre (85, 25) in the image
        SaliencyMap placed = crop.placeBack(new SaliencyMap(values, 4, 4), 200, 100, 100, 50);
        assertThat(placed.width()).isEqualTo(100);
        // Half resolution: image (85, 25), the hot cell's centre, is map cell (42, 12); beyond the
        // outermost cell centres the map holds its edge values, up to the crop's edges.
        assertThat(placed.get(42, 12)).isEqualTo(1f);
        assertThat(placed.argMax() % 100).isEqualTo(42);
        assertThat(placed.argMax() / 100).isBetween(10, 12);
        assertThat(placed.get(38, 12)).isLessThan(0.5f);
        for (int y = 0; y < 50; y++) {
            for (int x = 0; x < 100; x++) {
                boolean inside = x >= 25 && x < 45 && y >= 10 && y < 30;
                if (!inside) {
                    assertThat(placed.get(x, y)).as("outside at %d,%d", x, y).isZero();
                }
            }
        }
        // The crop's bottom-left corner cell is cold, the top-right one hot.
        assertThat(placed.get(25, 29)).isZero();
        assertThat(placed.get(44, 10)).isEqualTo(1f);
    }

    @Test
    void theWholeImageCropGivesTheMapBackUnchanged() {
        SaliencyMap map = new SaliencyMap(new float[] {0, 0.25f, 0.5f, 1, 0.75f, 0}, 3, 2);
        assertThat(ObjectCrop.whole(30, 20).placeBack(map, 30, 20, 3, 2)).isEqualTo(map);
    }

    @Test
    void anAttributeTargetCarriesTheObjectsBoxAndAWholeImageMap() {
        ObjectCrop crop = ObjectCrop.around(new double[] {40, 40, 80, 80}, 0.25, 160, 120);
        Prediction onCrop = new Prediction("attribute", "red-patch", 0, 0.9, null);
        ObjectAttribute target = ObjectAttribute.of(onCrop, crop);
        assertThat(target.prediction().kind()).isEqualTo("attribute");
        assertThat(target.prediction().box()).containsExactly(40, 40, 80, 80);
        float[] values = new float[96 * 96];
        values[0] = 1;
        TargetExplanation placed = target.placeBack(new TargetExplanation(onCrop, new SaliencyMap(values, 96, 96), 0.1, 0.8),
                160, 120, 1024);
        // The crop (60 px) was seen at 96 cells: the whole-image map keeps 1.6 cells per pixel.
        assertThat(placed.saliency().width()).isEqualTo(256);
        assertThat(placed.saliency().height()).isEqualTo(192);
        assertThat(placed.saliency().max()).isEqualTo(1f);
        assertThat(placed.deletionAuc()).isEqualTo(0.1);
        assertThat(placed.target()).isSameAs(target.prediction());
        TargetExplanation capped = target.placeBack(new TargetExplanation(onCrop, new SaliencyMap(values, 96, 96), null, null),
                160, 120, 128);
        assertThat(capped.saliency().width()).isEqualTo(128);
    }
}
