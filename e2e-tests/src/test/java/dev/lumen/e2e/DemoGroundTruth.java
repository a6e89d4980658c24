package dev.lumen.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo images' ground truth as COCO JSON, the format datasets take: the squares fixture writes
 * where it drew each striped square ({@code images/ground-truth.json}: file, label, box
 * {@code x1, y1, x2, y2}), which becomes one annotation per image with its category and bbox.
 */
final class DemoGroundTruth {

    /** The fixture's own record of the squares it drew. */
    static final String FIXTURE_FILE = "ground-truth.json";

    private DemoGroundTruth() {
    }

    /** COCO JSON for the images in {@code imagesDir}. */
    static byte[] coco(Path imagesDir) {
        ObjectMapper mapper = new ObjectMapper();
        try {
            JsonNode fixture = mapper.readTree(imagesDir.resolve(FIXTURE_FILE).toFile());
            ObjectNode coco = mapper.createObjectNode();
            ArrayNode images = coco.putArray("images");
            ArrayNode annotations = coco.putArray("annotations");
            Map<String, Integer> categories = new LinkedHashMap<>();
            fixture.path("labels").forEach(label -> categories.put(label.asText(), categories.size() + 1));
            int id = 0;
            for (JsonNode image : fixture.path("images")) {
                id++;
                String file = image.path("file").asText();
                BufferedImage pixels = ImageIO.read(imagesDir.resolve(file).toFile());
                images.addObject().put("id", id).put("file_name", file)
                        .put("width", pixels.getWidth()).put("height", pixels.getHeight());
                JsonNode box = image.path("box");
                double x1 = box.get(0).asDouble();
                double y1 = box.get(1).asDouble();
                annotations.addObject().put("id", id).put("image_id", id)
                        .put("category_id", categories.get(image.path("label").asText()))
                        .putArray("bbox").add(x1).add(y1).add(box.get(2).asDouble() - x1).add(box.get(3).asDouble() - y1);
            }
            ArrayNode list = coco.putArray("categories");
            categories.forEach((name, categoryId) -> list.addObject().put("id", categoryId).put("name", name));
            return mapper.writeValueAsBytes(coco);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the demo's ground truth in " + imagesDir, e);
        }
    }

    /** Whether {@code file} is one of the demo images (not the fixture's own JSON). */
    static boolean isImage(Path file) {
        return file.getFileName().toString().endsWith(".png");
    }
}
