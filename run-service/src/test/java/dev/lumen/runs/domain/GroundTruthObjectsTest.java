package dev.lumen.runs.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.contracts.ObjectBox;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GroundTruthObjectsTest {

    @Test
    void boxesBecomeCornerBoxesWithTheCategoryNamePerImageFile() {
        String coco = """
                {"images": [{"id": "a", "file_name": "val/a.jpg"}, {"id": "b", "file_name": "b.jpg"}],
                 "categories": [{"id": 1, "name": "dog"}],
                 "annotations": [{"image_id": "a", "category_id": 1, "bbox": [1, 2, 3, 4]},
                                 {"image_id": "a", "category_id": 1, "bbox": [0, 0, 0, 5]},
                                 {"image_id": "b", "category_id": 1}]}""";

        Map<String, List<ObjectBox>> objects = GroundTruthObjects.byImage(coco.getBytes(StandardCharsets.UTF_8), new ObjectMapper());

        // An empty box and an annotation without a box give no object.
        assertThat(objects).containsOnlyKeys("a.jpg");
        assertThat(objects.get("a.jpg")).containsExactly(new ObjectBox(List.of(1.0, 2.0, 4.0, 6.0), "dog"));
    }

    @Test
    void anImageCarriesAtMostTheSchemasLimit() {
        StringBuilder annotations = new StringBuilder();
        for (int i = 0; i < GroundTruthObjects.MAX_PER_IMAGE + 5; i++) {
            annotations.append(i == 0 ? "" : ",").append("{\"image_id\": 1, \"category_id\": 1, \"bbox\": [").append(i)
                    .append(", 0, 1, 1]}");
        }
        String coco = "{\"images\": [{\"id\": 1, \"file_name\": \"x.png\"}], \"categories\": [{\"id\": 1, \"name\": \"c\"}],"
                + " \"annotations\": [" + annotations + "]}";

        List<ObjectBox> objects = GroundTruthObjects.byImage(coco.getBytes(StandardCharsets.UTF_8), new ObjectMapper()).get("x.png");

        assertThat(objects).hasSize(GroundTruthObjects.MAX_PER_IMAGE);
        assertThat(objects.get(0).box()).containsExactly(0.0, 0.0, 1.0, 1.0);
    }
}
