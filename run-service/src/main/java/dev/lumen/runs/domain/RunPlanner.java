package dev.lumen.runs.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.catalogue.Method;
import dev.lumen.catalogue.MethodCatalogue;
import dev.lumen.catalogue.Parameters;
import dev.lumen.catalogue.Task;
import dev.lumen.contracts.ImageTask;
import dev.lumen.contracts.ObjectBox;
import dev.lumen.contracts.RunRequested;
import dev.lumen.runs.config.RunServiceConfig;
import dev.lumen.runs.storage.DatasetCatalog;
import dev.lumen.runs.storage.ModelCatalog;
import dev.lumen.service.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a run request against the method catalogue and the registry and turns it into one task per
 * sampled image. The REST path and the Kafka path (requests from other services) go through the same
 * checks. Tasks carry the parameters as requested: workers read them through the same catalogue.
 */
@ApplicationScoped
public class RunPlanner {

    private final ModelCatalog models;
    private final DatasetCatalog datasets;
    private final RunServiceConfig config;
    private final ObjectMapper mapper;

    public RunPlanner(ModelCatalog models, DatasetCatalog datasets, RunServiceConfig config, ObjectMapper mapper) {
        this.models = models;
        this.datasets = datasets;
        this.config = config;
        this.mapper = mapper;
    }

    /**
     * The sample the request would explain. Models and datasets of another tenant than the request's
     * are treated as missing, so their existence does not leak.
     *
     * @throws ProblemException 400 for an unknown method or a parameter the method does not take for the
     *                          model's task (or out of range, or of the wrong type), 404 for an unknown
     *                          model or dataset, 422 when the method does not fit the model's task or the
     *                          dataset is too small
     */
    public Plan plan(RunRequested request) {
        Method method = RunMethodCheck.method(request.method());
        if (request.imageCount() < 1 || request.imageCount() > config.maxImageCount()) {
            throw ProblemException.badField("imageCount", "must be between 1 and " + config.maxImageCount());
        }
        String modelId = request.model().id();
        ModelCatalog.Model model = models.find(modelId)
                .filter(found -> found.ownedBy(request.tenant(), config.defaultTenant()))
                .orElseThrow(() -> ProblemException.notFound("model-not-found", "model '" + modelId + "' does not exist"));
        Task task = Task.byId(model.task()).orElseThrow(() -> ProblemException.unprocessable(
                "model-invalid", "model '" + modelId + "' declares unknown task '" + model.task() + "'"));
        Parameters values = RunMethodCheck.parameters(method, task, request.parameters(), modelId, model.labels());
        RunMethodCheck.targetLayer(values, modelId, values.isSet(MethodCatalogue.TARGET_LAYER)
                ? models.operations(modelId) : Optional.empty());
        String datasetId = request.dataset().id();
        Optional<Dataset> dataset = datasets.find(datasetId)
                .filter(found -> found.ownedBy(request.tenant(), config.defaultTenant()));
        List<DatasetImage> images = dataset.map(datasets::images).orElse(List.of());
        if (images.isEmpty()) {
            throw ProblemException.notFound("dataset-not-found", "dataset '" + datasetId + "' does not exist or has no images");
        }
        List<String> warnings = new ArrayList<>();
        if (images.size() < request.imageCount()) {
            if (!Boolean.TRUE.equals(request.allowFewer())) {
                throw ProblemException.unprocessable("dataset-too-small", "dataset '" + datasetId + "' has "
                        + images.size() + " images, the run asks for " + request.imageCount()
                        + "; ask for fewer or set allowFewer");
            }
            warnings.add("dataset has only " + images.size() + " images; all are explained");
        }
        long seed = request.seed() != null ? request.seed() : ImageSampler.seedFromRunId(request.runId());
        List<DatasetImage> sample = ImageSampler.sample(images, request.imageCount(), seed);
        return new Plan(seed, sample, warnings, objects(dataset.get()));
    }

    /**
     * The ground truth's objects per image: attribute models explain each object on its crop, other tasks
     * take those of a target's label as its context test's reference boxes (decision 0048); none for
     * datasets without ground truth.
     */
    private Map<String, List<ObjectBox>> objects(Dataset dataset) {
        if (!dataset.groundTruth()) {
            return Map.of();
        }
        return datasets.groundTruth(dataset.id())
                .map(json -> GroundTruthObjects.byImage(json, mapper))
                .orElse(Map.of());
    }

    /** The tasks of a plan, in sampled order. */
    public List<ImageTask> tasks(RunRequested request, Plan plan) {
        List<ImageTask> tasks = new ArrayList<>(plan.images().size());
        for (int i = 0; i < plan.images().size(); i++) {
            DatasetImage image = plan.images().get(i);
            tasks.add(new ImageTask(request.runId(), request.tenant(), image.imageId(), image.key(), i,
                    plan.images().size(), request.method(), request.model(),
                    ImageSampler.imageSeed(plan.seed(), image.imageId()), request.parameters(),
                    plan.objects().get(image.imageId())));
        }
        return tasks;
    }

    /**
     * A run's sample.
     *
     * @param seed the seed used (given or derived)
     * @param images the sampled images
     * @param warnings what the requester should know (e.g. fewer images than asked)
     * @param objects ground-truth objects per image id, for attribute models; images without any are absent
     */
    public record Plan(long seed, List<DatasetImage> images, List<String> warnings,
                       Map<String, List<ObjectBox>> objects) {

        /** A plan without objects. */
        public Plan(long seed, List<DatasetImage> images, List<String> warnings) {
            this(seed, images, warnings, Map.of());
        }
    }
}
