package dev.lumen.results.insights;

import dev.lumen.contracts.Target;
import java.util.List;

/**
 * The reference box of an attribute: the object it was predicted on, which the run took from the
 * dataset's ground truth. Matching the ground truth by label would not work (an attribute's label,
 * {@code age: 21-25}, is no category) and, on an image of several faces, would measure every face's
 * map against all of them.
 */
final class AttributeReference {

    private static final String ATTRIBUTE = "attribute";

    private AttributeReference() {
    }

    /** Whether {@code target} is an attribute of an object with a box. */
    static boolean isObjectAttribute(Target target) {
        return ATTRIBUTE.equals(target.kind()) && target.box() != null && target.box().size() == 4;
    }

    /** The object's box as the one reference box. */
    static List<double[]> objectBox(Target target) {
        List<Double> box = target.box();
        return List.of(new double[] {box.get(0), box.get(1), box.get(2), box.get(3)});
    }
}
