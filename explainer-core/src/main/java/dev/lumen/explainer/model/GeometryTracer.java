package dev.lumen.explainer.model;

import dev.lumen.explainer.model.ModelDescriptor.Layout;
import java.util.ArrayList;
import java.util.List;

/**
 * Derives a layer's {@link LayerGeometry} by walking its data path back to the input and composing
 * what each operation does to positions: convolutions and pools shift by
 * {@code (kernel - 1) / 2 - padBefore} steps and multiply the step by their stride, {@code Pad}
 * shifts back by its padding, and operations that keep the spatial size (activations, bias, batch
 * norm, residual additions) change nothing. On anything else (resizes, transposes, unknown
 * padding) it gives up and reports the evenly spread assumption instead.
 */
final class GeometryTracer {

    private static final int MAX_DEPTH = 10_000;

    private final GraphSession graph;
    private final GraphPaths paths;
    private final Layout layout;

    /** Position of index 0's centre and the step, along one axis, in input pixels. */
    private record Axis(double offset, double stride) {

        Axis window(long kernel, long step, long padBefore) {
            return new Axis(offset + stride * ((kernel - 1) / 2.0 - padBefore), stride * step);
        }
    }

    GeometryTracer(GraphSession graph, GraphPaths paths, Layout layout) {
        this.graph = graph;
        this.paths = paths;
        this.layout = layout;
    }

    LayerGeometry trace(TensorRef layer, int inputWidth, int inputHeight) {
        long[] layerShape = graph.shape(layer);
        int layerHeight = (int) layerShape[layout == Layout.NHWC ? 1 : 2];
        int layerWidth = (int) layerShape[layout == Layout.NHWC ? 2 : 3];
        LayerGeometry fallback = layerWidth > 0 && layerHeight > 0
                ? LayerGeometry.evenlySpread(layerWidth, layerHeight, inputWidth, inputHeight) : null;
        List<TensorRef> chain = chainToInput(layer);
        if (chain == null) {
            return fallback;
        }
        Axis x = new Axis(0.5, 1);
        Axis y = new Axis(0.5, 1);
        for (int i = chain.size() - 1; i >= 0; i--) {
            Axis[] next = step(chain.get(i), x, y);
            if (next == null) {
                return fallback;
            }
            x = next[0];
            y = next[1];
        }
        return new LayerGeometry(x.offset(), x.stride(), y.offset(), y.stride(), true);
    }

    /** The tensors from the layer back to (not including) the input, following data inputs. */
    private List<TensorRef> chainToInput(TensorRef layer) {
        List<TensorRef> chain = new ArrayList<>();
        TensorRef current = layer;
        while (!current.equals(paths.input())) {
            if (chain.size() > MAX_DEPTH) {
                return null;
            }
            chain.add(current);
            current = paths.dataInput(current.operation());
            if (current == null) {
                return null;
            }
        }
        return chain;
    }

    /** The geometry of {@code tensor} given that of its data input, or null when unknown. */
    private Axis[] step(TensorRef tensor, Axis x, Axis y) {
        String op = tensor.operation();
        TensorRef data = paths.dataInput(op);
        long[] in = spatial(graph.shape(data), layout);
        long[] out = spatial(graph.shape(tensor), layout);
        switch (graph.opType(op)) {
            case "Conv2D", "DepthwiseConv2dNative", "MaxPool", "AvgPool" -> {
                return window(op, in, out, x, y);
            }
            case "Pad", "PadV2", "MirrorPad" -> {
                long[] paddings = graph.integerConstant(graph.inputs(op).get(1).operation());
                if (paddings == null || paddings.length != 8) {
                    return null;
                }
                int h = layout == Layout.NHWC ? 1 : 2;
                return new Axis[] {x.window(1, 1, paddings[2 * (h + 1)]), y.window(1, 1, paddings[2 * h])};
            }
            default -> {
                boolean sameSize = in != null && out != null && in[0] > 0 && in[0] == out[0] && in[1] == out[1];
                return sameSize ? new Axis[] {x, y} : null;
            }
        }
    }

    private Axis[] window(String op, long[] in, long[] out, Axis x, Axis y) {
        String format = graph.stringAttr(op, "data_format");
        Layout opLayout = format != null && format.startsWith("NC") ? Layout.NCHW : Layout.NHWC;
        int h = opLayout == Layout.NHWC ? 1 : 2;
        long[] strides = graph.intListAttr(op, "strides");
        long[] dilations = graph.intListAttr(op, "dilations");
        long[] kernel = kernelSize(op, opLayout);
        String padding = graph.stringAttr(op, "padding");
        if (strides == null || strides.length != 4 || kernel == null || padding == null || opLayout != layout) {
            return null;
        }
        long[] effective = new long[2];
        for (int d = 0; d < 2; d++) {
            long dilation = dilations != null && dilations.length == 4 ? dilations[h + d] : 1;
            effective[d] = (kernel[d] - 1) * dilation + 1;
        }
        long[] before = new long[2];
        switch (padding) {
            case "VALID" -> { }
            case "SAME" -> {
                if (in == null || out == null || in[0] <= 0 || in[1] <= 0) {
                    return null;
                }
                for (int d = 0; d < 2; d++) {
                    before[d] = Math.max((out[d] - 1) * strides[h + d] + effective[d] - in[d], 0) / 2;
                }
            }
            case "EXPLICIT" -> {
                long[] explicit = graph.intListAttr(op, "explicit_paddings");
                if (explicit == null || explicit.length != 8) {
                    return null;
                }
                before[0] = explicit[2 * h];
                before[1] = explicit[2 * (h + 1)];
            }
            default -> {
                return null;
            }
        }
        return new Axis[] {x.window(effective[1], strides[h + 1], before[1]), y.window(effective[0], strides[h], before[0])};
    }

    /** Kernel height and width: from the filter's shape for convolutions, from {@code ksize} for pools. */
    private long[] kernelSize(String op, Layout opLayout) {
        if (graph.opType(op).endsWith("Pool")) {
            long[] ksize = graph.intListAttr(op, "ksize");
            int h = opLayout == Layout.NHWC ? 1 : 2;
            return ksize == null || ksize.length != 4 ? null : new long[] {ksize[h], ksize[h + 1]};
        }
        long[] filter = graph.shape(graph.inputs(op).get(1));
        return filter == null || filter.length != 4 || filter[0] <= 0 || filter[1] <= 0
                ? null : new long[] {filter[0], filter[1]};
    }

    /** Height and width of a 4-D shape, or null. */
    private static long[] spatial(long[] shape, Layout layout) {
        if (shape == null || shape.length != 4) {
            return null;
        }
        return layout == Layout.NHWC ? new long[] {shape[1], shape[2]} : new long[] {shape[2], shape[3]};
    }
}
