package dev.lumen.runs.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CocoGroundTruthTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private CocoGroundTruth.Summary validate(String json, String... files) {
        return CocoGroundTruth.validate(json.getBytes(StandardCharsets.UTF_8), Set.of(files), mapper);
    }

    @Test
    void boxesPolygonsRleTagsAndAttributesAreAccepted() {
        CocoGroundTruth.Summary summary = validate("""
                {"images": [{"id": 1, "file_name": "a/b/x.png", "tags": ["night"]},
                            {"id": "two", "file_name": "y.png", "attributes": {"occluded": true}},
                            {"id": 3, "file_name": "z.png"},
                            {"id": 4, "file_name": "elsewhere.png"}],
                 "categories": [{"id": 1, "name": "car"}, {"id": 2, "name": "person"}],
                 "annotations": [{"id": 1, "image_id": 3, "category_id": 2, "bbox": [1.5, 2, 10, 0]},
                                 {"id": 2, "image_id": 3, "category_id": 1, "segmentation": [[0,0, 4,0, 4,4], [5,5, 6,5, 6,6]]},
                                 {"id": 3, "image_id": 4, "category_id": 1, "segmentation": {"counts": "Xj2]1", "size": [10, 10]}}]}
                """, "x.png", "y.png", "z.png");

        assertThat(summary.problems()).isEmpty();
        assertThat(summary.annotatedFiles()).containsExactlyInAnyOrder("x.png", "y.png", "z.png");
        assertThat(summary.classes()).isEqualTo(2);
        assertThat(summary.unknownFiles()).isEqualTo(1);
    }

    @Test
    void everyProblemIsNamedWithItsPath() {
        CocoGroundTruth.Summary summary = validate("""
                {"images": [{"id": 1, "file_name": "x.png", "width": -3, "tags": "night"}, {"file_name": "y.png"}],
                 "categories": [{"id": 1}, {"id": 1, "name": "dup"}],
                 "annotations": [{"id": 1, "image_id": 7, "category_id": 9, "bbox": [0, 0, 1]},
                                 {"id": 2, "image_id": 1, "category_id": 1, "segmentation": [[0, 0, 1]]},
                                 {"id": 3, "image_id": 1, "category_id": 1, "segmentation": {"counts": [1, -2], "size": [2, 2]}},
                                 {"id": 4, "image_id": 1, "category_id": 1, "segmentation": "mask"}]}
                """, "x.png", "y.png");

        assertThat(summary.valid()).isFalse();
        assertThat(summary.problems()).contains(
                "$.images[0].width: must be a positive integer",
                "$.images[0].tags: must be an array of strings",
                "$.images[1].id: is required (integer or string)",
                "$.categories[0].name: is required (non-empty string)",
                "$.categories[1].id: duplicate category id 1",
                "$.annotations[0].image_id: must name an image of $.images",
                "$.annotations[0].category_id: must name a category of $.categories",
                "$.annotations[0].bbox: must be [x, y, width, height] with non-negative width and height",
                "$.annotations[1].segmentation: polygon 0 must be a list of an even number (at least 6) of coordinates",
                "$.annotations[2].segmentation: RLE counts must be non-negative integers",
                "$.annotations[3].segmentation: must be a list of polygons or an RLE object");
        assertThat(summary.annotatedFiles()).isEmpty();
    }

    @Test
    void notCocoAtAll() {
        assertThat(validate("[1, 2]").problems()).containsExactly("$: must be a JSON object with images, categories and annotations");
        assertThat(validate("{\"images\": 3}").problems()).containsExactly(
                "$.images: is required and must be an array", "$.categories: is required and must be an array");
        assertThat(validate("{ nope").problems().get(0)).startsWith("not JSON");
    }
}
