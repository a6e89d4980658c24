package dev.lumen.tfjs;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import dev.lumen.explainer.model.FloatTensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs an imported SavedModel through DJL's TensorFlow engine, the way Lumen's workers load models. */
final class SavedModelRunner implements AutoCloseable {

    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;

    SavedModelRunner(Path savedModelDir) throws Exception {
        model = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(savedModelDir)
                .optEngine("TensorFlow")
                .optOption("SignatureDefKey", ServingSignature.KEY)
                .optTranslator(new NoopTranslator())
                .build()
                .loadModel();
        predictor = model.newPredictor();
    }

    /** Runs the model on one input; returns each output under its signature key. */
    Map<String, FloatTensor> run(FloatTensor input) throws Exception {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray array = manager.create(input.data(), new Shape(input.shape()));
            Map<String, FloatTensor> byKey = new LinkedHashMap<>();
            for (NDArray output : predictor.predict(new NDList(array))) {
                byKey.put(output.getName(), new FloatTensor(output.getShape().getShape(), output.toFloatArray()));
            }
            return byKey;
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
