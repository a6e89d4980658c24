package dev.lumen.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * An object in a task's image, for attribute models: the worker explains each object on its own crop.
 *
 * @param box {@code [x1, y1, x2, y2]} in original-image pixels
 * @param label what the object is (e.g. a ground-truth category), when known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectBox(List<Double> box, String label) {
}
