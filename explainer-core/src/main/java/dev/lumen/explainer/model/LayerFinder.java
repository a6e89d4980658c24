package dev.lumen.explainer.model;

import dev.lumen.explainer.model.ModelDescriptor.Layout;
import java.util.Map;

/**
 * Finds the layer Grad-CAM style methods explain at: the last 4-D spatial activation on the path
 * from the model input to the explained output, i.e. the 4-D float tensor closest to the output
 * (fewest operations away) that depends on the input and still has a spatial extent. Closest to the
 * output gives the most semantic features; the spatial condition skips global-pool results.
 *
 * <p>When the output itself is spatial (a semantic segmenter's class maps), tensors with the
 * output's channel count are skipped: those are the class maps and their resized or normalised
 * copies, where Grad-CAM would only return the model's own output. The layer found is the last
 * feature layer before the classifier head, as pytorch-grad-cam's segmentation examples choose.
 */
final class LayerFinder {

    private final GraphSession graph;
    private final GraphPaths paths;
    private final TensorRef input;
    private final Layout layout;

    LayerFinder(GraphSession graph, GraphPaths paths, Layout layout) {
        this.graph = graph;
        this.paths = paths;
        this.input = paths.input();
        this.layout = layout;
    }

    /** The discovered layer for {@code output}. */
    TensorRef discover(TensorRef output) {
        Map<TensorRef, Integer> distances = paths.upstreamDistances(output);
        long classChannels = spatialChannels(output);
        TensorRef best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Map.Entry<TensorRef, Integer> entry : distances.entrySet()) {
            TensorRef tensor = entry.getKey();
            int distance = entry.getValue();
            boolean closer = distance < bestDistance
                    || distance == bestDistance && tensor.toString().compareTo(best.toString()) < 0;
            if (closer && isSpatialActivation(tensor) && (classChannels < 0 || spatialChannels(tensor) != classChannels)
                    && paths.dependsOnInput(tensor.operation())) {
                best = tensor;
                bestDistance = distance;
            }
        }
        if (best == null) {
            throw new ModelLoadException("no 4-D spatial activation lies between input " + input + " and output "
                    + output + "; name one with the targetLayer option");
        }
        return best;
    }

    /**
     * Checks a layer named by the user: {@code op} or {@code op:index}.
     *
     * @throws IllegalArgumentException when it does not exist, is not a 4-D float tensor, or does
     *     not lie between the input and {@code output}
     */
    TensorRef named(String name, TensorRef output) {
        TensorRef tensor = TensorRef.parse(name);
        if (!graph.hasOperation(tensor.operation())) {
            throw new IllegalArgumentException("target layer '" + name + "' is not an operation of the graph");
        }
        if (tensor.index() >= graph.outputCount(tensor.operation())) {
            throw new IllegalArgumentException("target layer '" + name + "': operation has no output " + tensor.index());
        }
        long[] shape = graph.shape(tensor);
        if (!graph.isFloat(tensor) || shape == null || shape.length != 4) {
            throw new IllegalArgumentException("target layer '" + name + "' must be a 4-D float activation"
                    + (shape == null ? "" : ", has rank " + shape.length));
        }
        if (!paths.upstreamDistances(output).containsKey(tensor) || !paths.dependsOnInput(tensor.operation())) {
            throw new IllegalArgumentException("target layer '" + name + "' does not lie between input " + input
                    + " and output " + output);
        }
        return tensor;
    }

    private boolean isSpatialActivation(TensorRef tensor) {
        if (tensor.equals(input) || !graph.isFloat(tensor)) {
            return false;
        }
        long[] shape = graph.shape(tensor);
        if (shape == null || shape.length != 4) {
            return false;
        }
        long height = layout == Layout.NHWC ? shape[1] : shape[2];
        long width = layout == Layout.NHWC ? shape[2] : shape[3];
        return spatial(height) && spatial(width) && !(height == 1 && width == 1);
    }

    /** Channels of a 4-D spatial tensor, or -1 when it is not one or they are unknown. */
    private long spatialChannels(TensorRef tensor) {
        long[] shape = graph.shape(tensor);
        if (!isSpatialActivation(tensor)) {
            return -1;
        }
        return layout == Layout.NHWC ? shape[3] : shape[1];
    }

    /** Known sizes must exceed 1; unknown sizes (-1) are taken on trust. */
    private static boolean spatial(long size) {
        return size == -1 || size > 1;
    }

}
