package dev.lumen.results.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.contracts.Explanation;
import dev.lumen.contracts.ImageResult;
import dev.lumen.render.HeatmapRenderer;
import dev.lumen.render.SaliencyMap;
import dev.lumen.render.SaliencyPng;
import dev.lumen.results.config.ResultsConfig;
import dev.lumen.service.storage.ObjectStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Renders and stores one image result: per target the 16-bit map at the image's size, the heatmap and
 * the overlay, then the JSON record last, so a record's presence means its files are complete.
 * Rendering is deterministic, so a redelivered event rewrites identical bytes. The files of an image
 * are rendered and uploaded in parallel on a pool shared by every image being stored
 * ({@code lumen.results.upload-concurrency} threads); the record waits for all of them.
 */
@ApplicationScoped
public class ResultWriter {

    private static final Logger LOG = Logger.getLogger(ResultWriter.class);
    private static final String PNG = "image/png";

    private final ObjectStore store;
    private final ObjectMapper mapper;
    private final ResultsConfig config;
    private final ResultMetrics metrics;
    private final ExecutorService uploads;

    public ResultWriter(ObjectStore store, ObjectMapper mapper, ResultsConfig config, ResultMetrics metrics) {
        this.store = store;
        this.mapper = mapper;
        this.config = config;
        this.metrics = metrics;
        AtomicInteger threads = new AtomicInteger();
        this.uploads = Executors.newFixedThreadPool(config.uploadConcurrency(), task -> {
            Thread thread = new Thread(task, "result-upload-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void close() {
        uploads.shutdown();
    }

    /** Stores {@code result}, published by its worker at {@code producedAt}; returns the record written. */
    public StoredResult write(ImageResult result, Instant producedAt) {
        List<StoredResult.StoredExplanation> stored = new ArrayList<>();
        if (result.explanations() != null && !result.explanations().isEmpty()) {
            long started = System.nanoTime();
            BufferedImage original = original(result);
            String prefix = ResultLayout.imagePrefix(result.runId(), result.imageId());
            List<CompletableFuture<Void>> files = new ArrayList<>();
            for (int k = 0; k < result.explanations().size(); k++) {
                Explanation explanation = result.explanations().get(k);
                SaliencyMap map = SaliencyPng.decode16(Base64.getDecoder().decode(explanation.saliency().data()))
                        .resize(original.getWidth(), original.getHeight());
                files.add(upload(prefix + ResultLayout.saliencyFile(k), () -> SaliencyPng.encode16(map)));
                files.add(upload(prefix + ResultLayout.heatmapFile(k), () -> HeatmapRenderer.png(
                        HeatmapRenderer.heatmap(map, original.getWidth(), original.getHeight(), true))));
                files.add(upload(prefix + ResultLayout.overlayFile(k), () -> HeatmapRenderer.png(
                        HeatmapRenderer.overlay(original, map, config.overlayAlpha()))));
                stored.add(new StoredResult.StoredExplanation(explanation.target(), explanation.metrics(),
                        ResultLayout.saliencyFile(k), ResultLayout.heatmapFile(k), ResultLayout.overlayFile(k)));
            }
            awaitAll(files);
            metrics.rendered(System.nanoTime() - started);
        }
        StoredResult record = StoredResult.of(result, stored.isEmpty() ? null : stored, producedAt);
        store.put(ResultLayout.resultRecord(result.runId(), result.imageId()), json(record), "application/json");
        LOG.debugf("run %s image %s: stored %s with %d map(s)", result.runId(), result.imageId(), result.outcome(),
                stored.size());
        return record;
    }

    private CompletableFuture<Void> upload(String key, Supplier<byte[]> png) {
        return CompletableFuture.runAsync(() -> store.put(key, png.get(), PNG), uploads);
    }

    /** Waits for every file; the first failure is thrown as itself, so that retries see what it was. */
    private static void awaitAll(List<CompletableFuture<Void>> files) {
        try {
            CompletableFuture.allOf(files.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private BufferedImage original(ImageResult result) {
        byte[] bytes = store.get(result.imageKey()).orElseThrow(() -> new IllegalStateException(
                "run " + result.runId() + " image " + result.imageId() + ": original " + result.imageKey() + " is gone"));
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new IllegalStateException("original " + result.imageKey() + " cannot be decoded");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
