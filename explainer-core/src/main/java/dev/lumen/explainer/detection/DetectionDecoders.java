package dev.lumen.explainer.detection;

import dev.lumen.explainer.model.DetectionLayout;
import dev.lumen.explainer.model.InvalidDescriptorException;
import dev.lumen.explainer.model.ModelDescriptor;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The registry of detection decoders by name: adding a convention is adding one class here. */
public final class DetectionDecoders {

    private static final Map<String, DetectionDecoder> DECODERS = List.<DetectionDecoder>of(
                    new ObjectDetectionApiDecoder(), new NanoDetDecoder())
            .stream().collect(Collectors.toUnmodifiableMap(DetectionDecoder::name, Function.identity()));

    private DetectionDecoders() {
    }

    /** Known decoder names, sorted, {@value DetectionLayout#DECODER} (a declared layout) included. */
    public static List<String> names() {
        TreeMap<String, Object> names = new TreeMap<>(DECODERS);
        names.put(DetectionLayout.DECODER, null);
        return names.keySet().stream().toList();
    }

    /**
     * The decoder a detection model's descriptor names: its declared {@code detection} layout when it
     * has one, else the named convention; without either, the Object Detection API convention (the
     * most common TensorFlow detector export).
     *
     * @throws InvalidDescriptorException for an unknown name or a missing required output role
     */
    public static DetectionDecoder forDescriptor(ModelDescriptor descriptor) {
        if (descriptor.detection() != null) {
            return new LayoutDecoder(descriptor.detection());
        }
        String name = descriptor.decoder() == null ? ObjectDetectionApiDecoder.NAME : descriptor.decoder();
        DetectionDecoder decoder = DECODERS.get(name);
        if (decoder == null) {
            throw new InvalidDescriptorException(ModelDescriptor.FILE_NAME + ": decoder '" + name + "' is not one of "
                    + names() + " for task " + descriptor.task().id());
        }
        return decoder;
    }
}
