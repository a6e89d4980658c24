package dev.lumen.explainer.model;

import dev.lumen.explainer.model.ModelDescriptor.Layout;
import java.util.List;
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
        return discover(List.of(output));
    }

    /**
     * The last spatial activation every one of {@code outputs} depends on: distance is the largest
     * of its distances to them, so the layer found feeds all (a detector's heads at several strides).
     */
    TensorRef discover(List<TensorRef> outputs) {
        return discover(outputs, 0);
    }

    /**
     * As {@link #discover(List)}, preferring the closest layer whose height and width both reach
     * {@code minCells} (sizes unknown until run time count as reaching it); the closest of all when
     * none does.
     */
    TensorRef discover(List<TensorRef> outputs, int minCells) {
        Map<TensorRef, Integer> distances = new java.util.HashMap<>(paths.upstreamDistances(outputs.get(0)));
        for (TensorRef other : outputs.subList(1, outputs.size())) {
            Map<TensorRef, Integer> more = paths.upstreamDistances(other);
            distances.keySet().retainAll(more.keySet());
            distances.replaceAll((tensor, distance) -> Math.max(distance, more.get(tensor)));
        }
        TensorRef output = outputs.get(0);
        long classChannels = outputs.size() == 1 ? spatialChannels(output) : -1;
        TensorRef best = null;
        int bestDistance = Integer.MAX_VALUE;
        TensorRef fine = null;
        int fineDistance = Integer.MAX_VALUE;
        for (Map.Entry<TensorRef, Integer> entry : distances.entrySet()) {
            TensorRef tensor = entry.getKey();
            int distance = entry.getValue();
            if (!isSpatialActivation(tensor) || (classChannels >= 0 && spatialChannels(tensor) == classChannels)
                    || !paths.dependsOnInput(tensor.operation())) {
                continue;
            }
            if (distance < bestDistance || distance == bestDistance && tensor.toString().compareTo(best.toString()) < 0) {
                best = tensor;
                bestDistance = distance;
            }
            boolean fineEnough = minCells <= 0 || reaches(tensor, minCells);
            if (fineEnough && (distance < fineDistance
                    || distance == fineDistance && tensor.toString().compareTo(fine.toString()) < 0)) {
                fine = tensor;
                fineDistance = distance;
            }
        }
        if (fine != null) {
            best = fine;
        }
        if (best == null) {
            throw new ModelLoadException("no 4-D spatial activation lies between input " + input + " and output"
                    + (outputs.size() == 1 ? " " + output : "s " + outputs) + "; name one with the targetLayer option");
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
        return named(name, List.of(output));
    }

    /** As {@link #named(String, TensorRef)}, the layer lying before any of {@code outputs}. */
    TensorRef named(String name, List<TensorRef> outputs) {
        TensorRef output = outputs.get(0);
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
        boolean upstream = outputs.stream().anyMatch(o -> paths.upstreamDistances(o).containsKey(tensor));
        if (!upstream || !paths.dependsOnInput(tensor.operation())) {
            throw new IllegalArgumentException("target layer '" + name + "' does not lie between input " + input
                    + " and output" + (outputs.size() == 1 ? " " + output : "s " + outputs));
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

    /** Whether both spatial sizes reach {@code cells} (unknown sizes are taken to). */
    private boolean reaches(TensorRef tensor, int cells) {
        long[] shape = graph.shape(tensor);
        long height = layout == Layout.NHWC ? shape[1] : shape[2];
        long width = layout == Layout.NHWC ? shape[2] : shape[3];
        return (height < 0 || height >= cells) && (width < 0 || width >= cells);
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
