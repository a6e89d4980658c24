package dev.lumen.tfjs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.explainer.model.FloatTensor;
import dev.lumen.explainer.model.ModelDescriptor.ColorOrder;
import dev.lumen.explainer.model.ModelInput;
import dev.lumen.explainer.model.Preprocessor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Imports real TF.js models from npm (nanodet, the nsfwjs MobileNetV2 classifier, selfie) and
 * checks that the SavedModel, run through DJL, computes what the original computes on the TF.js
 * CPU backend: same input, every output within 1e-4. Then checks the dynamic batch: a batch of two
 * images gives each image's own outputs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TfjsParityTest {

    private static final double TOLERANCE = 1e-4;
    private static final Path WORK = Path.of("target/tfjs-parity").toAbsolutePath();

    /** A real model: where npm ships it and how its descriptor is drafted. */
    record RealModel(String name, String packageSpec, String tarball, List<String> members, String model,
            ImportOptions options) {

        @Override
        public String toString() {
            return name;
        }
    }

    private final Map<String, ImportReport> imports = new ConcurrentHashMap<>();

    static Stream<RealModel> models() {
        ImportOptions dynamic = ImportOptions.defaults().withDynamicBatch(true);
        return Stream.of(
                new RealModel("nanodet", NpmModels.HUMAN_MODELS, NpmModels.HUMAN_MODELS_TARBALL,
                        List.of("package/models/nanodet.json", "package/models/nanodet.bin"), "package/models/nanodet.json",
                        dynamic.withTask("detection").withDecoder("nanodet").withPreprocessing(ColorOrder.BGR, 1.0,
                                new double[] {103.53, 116.28, 123.675}, new double[] {57.375, 57.12, 58.395})),
                new RealModel("nsfwjs-mobilenet-v2-mid", NpmModels.NSFWJS, NpmModels.NSFWJS_TARBALL,
                        List.of("package/dist/models/mobilenet_v2_mid"), "package/dist/models/mobilenet_v2_mid",
                        dynamic.withTask("classification")
                                .withLabels(List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy"))),
                new RealModel("selfie", NpmModels.HUMAN_MODELS, NpmModels.HUMAN_MODELS_TARBALL,
                        List.of("package/models/selfie.json", "package/models/selfie.bin"), "package/models/selfie.json",
                        dynamic.withTask("semantic-segmentation").withLabels(List.of("person"))));
    }

    @ParameterizedTest
    @MethodSource("models")
    void importedModelComputesWhatTfjsComputes(RealModel real) throws Exception {
        NpmModels.assumeNodeAndNpm();
        ImportReport report = importOnce(real);
        Preprocessor preprocessor = new Preprocessor(report.descriptor().input());
        FloatTensor input = preprocessor.tensor(List.of(scene(preprocessor, 0)));
        Path dir = WORK.resolve(real.name());
        Path inputFile = dir.resolve("input.f32");
        writeFloats(inputFile, input.data());
        Path tfjsDir = NpmModels.runTfjs(modelPath(real), inputFile, input.shape(), dir.resolve("tfjs"));
        JsonNode index = new ObjectMapper().readTree(tfjsDir.resolve("outputs.json").toFile());

        Map<String, FloatTensor> imported;
        try (SavedModelRunner runner = new SavedModelRunner(report.outDir())) {
            imported = runner.run(input);
        }
        List<String> figures = new ArrayList<>();
        double worst = 0;
        for (JsonNode output : index.path("outputs")) {
            String key = ServingSignature.keyFor(output.path("name").asText());
            float[] expected = readFloats(tfjsDir.resolve(output.path("file").asText()));
            assertThat(imported).as("outputs of the imported model").containsKey(key);
            float[] actual = imported.get(key).data();
            assertThat(actual).as(key + " size").hasSameSizeAs(expected);
            double diff = maxAbsDifference(expected, actual);
            worst = Math.max(worst, diff);
            figures.add(String.format("%s %.2e (values %.3g..%.3g)", key, diff, min(expected), max(expected)));
            assertThat(diff).as("max |TF.js - SavedModel| of " + key).isLessThanOrEqualTo(TOLERANCE);
        }
        assertThat(figures).as("compared outputs").hasSize(imported.size());
        System.out.printf("parity %s: import %d ms, TF.js CPU %d ms, max |diff| %.2e; %s%n", real.name(),
                report.elapsed().toMillis(), index.path("millis").asLong(), worst, String.join("; ", figures));
    }

    @ParameterizedTest
    @MethodSource("models")
    void batchOfTwoGivesEachImagesOwnOutputs(RealModel real) throws Exception {
        NpmModels.assumeNodeAndNpm();
        ImportReport report = importOnce(real);
        Preprocessor preprocessor = new Preprocessor(report.descriptor().input());
        List<ModelInput> images = List.of(scene(preprocessor, 0), scene(preprocessor, 1));
        try (SavedModelRunner runner = new SavedModelRunner(report.outDir())) {
            Map<String, FloatTensor> batch = runner.run(preprocessor.tensor(images));
            for (int i = 0; i < images.size(); i++) {
                Map<String, FloatTensor> single = runner.run(preprocessor.tensor(List.of(images.get(i))));
                for (Map.Entry<String, FloatTensor> output : single.entrySet()) {
                    FloatTensor batched = batch.get(output.getKey());
                    assertThat(batched.batch()).as(output.getKey() + " batch").isEqualTo(2);
                    assertThat(maxAbsDifference(output.getValue().data(), batched.sample(i)))
                            .as("image " + i + " of " + output.getKey() + ": batched vs alone")
                            .isLessThanOrEqualTo(TOLERANCE);
                }
            }
        }
    }

    private ImportReport importOnce(RealModel real) {
        return imports.computeIfAbsent(real.name(), name -> {
            ImportReport report = TfjsImporter.importModel(modelPath(real), WORK.resolve(name).resolve("saved-model"),
                    real.options());
            System.out.print(report.summary());
            return report;
        });
    }

    private static Path modelPath(RealModel real) {
        try {
            return NpmModels.extract(real.packageSpec(), real.tarball(), real.members()).resolve(real.model());
        } catch (Exception e) {
            throw new IllegalStateException("cannot obtain " + real.packageSpec() + ": " + e.getMessage(), e);
        }
    }

    private static ModelInput scene(Preprocessor preprocessor, int variant) {
        return preprocessor.prepare(Scenes.person(640, 480, variant));
    }

    private static double maxAbsDifference(float[] expected, float[] actual) {
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs((double) expected[i] - actual[i]));
        }
        return max;
    }

    private static float min(float[] values) {
        float min = Float.POSITIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
        }
        return min;
    }

    private static float max(float[] values) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    private static void writeFloats(Path file, float[] values) throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes.array());
    }

    private static float[] readFloats(Path file) throws Exception {
        var buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }
}
