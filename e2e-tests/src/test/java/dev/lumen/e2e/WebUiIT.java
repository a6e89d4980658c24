package dev.lumen.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.cli.DevTokens;
import dev.lumen.cli.Workspace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * results-service's web UI in a real headless Chromium (the Debian package at {@code /usr/bin/chromium},
 * never a downloaded browser), driven by Playwright's {@code playwright-core} from
 * {@code src/test/browser/ui-check.mjs}, against the packaged platform: the runs list, a finished run's
 * gallery with the global and per-image heatmap toggles and the opacity slider, an image's detail, a
 * running run's progress bar advancing live, and, for two real runs over the same images of a dataset
 * with ground truth, the Insights page and the comparison page with numbers from the API and loaded
 * overlays; the sign-in state of a tab without a token. Screenshots go to {@code target/e2e/screenshots/}.
 *
 * <p>Skipped, with the reason, where {@code /usr/bin/chromium} is missing. Needs Node.js; installs the
 * script's npm dependencies ({@code npm ci}) when CI has not done so already.
 */
class WebUiIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final int FINISHED_IMAGES = 6;

    private static PlatformFixture lumen;

    @BeforeAll
    static void startPlatform() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
                "browser test skipped: no Chromium at " + CHROMIUM + " (install it with: apt-get install -y chromium)");
        lumen = PlatformFixture.start("ui", 5);
    }

    @AfterAll
    static void stopPlatform() {
        if (lumen != null) {
            lumen.close();
        }
    }

    @Test
    void galleryInsightsAndComparisonRenderRealRunsAndTheProgressBarAdvancesLive() throws Exception {
        Path browserDir = Workspace.locate(Path.of("")).root().resolve("e2e-tests/src/test/browser");
        installNodeModules(browserDir);

        // Two runs over the same sampled images (same dataset, seed and count), with ground truth, so
        // that insights measure in-box energy and the comparison has pairs.
        String dataset = lumen.uploadDemoWithGroundTruth("squares with ground truth");
        String finished = lumen.createRun("ui-finished", dataset, FINISHED_IMAGES);
        String compared = lumen.createRun("ui-compared", dataset, FINISHED_IMAGES, "gradcam++");
        for (String run : List.of(finished, compared)) {
            JsonNode done = lumen.awaitProgress(run, PlatformFixture::terminal, Duration.ofMinutes(5));
            assertThat(done.path("state").asText()).as(run).isEqualTo("COMPLETED");
        }
        // Every copy, so that the run is still going while the browser starts and looks at it.
        String running = lumen.createRun("ui-running", PlatformFixture.MANY, lumen.manyImages());
        lumen.awaitProgress(running, p -> PlatformFixture.done(p) >= 1, Duration.ofMinutes(3));

        Path screenshots = lumen.work().resolve("screenshots");
        Path log = lumen.work().resolve("ui-check.log");
        // The UI keeps a token handed over as #token=... and sends it with every API call.
        String token = lumen.platform().token(DevTokens.DEFAULT_TENANT);
        int exit = run(List.of("node", "ui-check.mjs", lumen.platform().baseUrl("results-service"), finished, running,
                compared, screenshots.toString()), browserDir, log, Duration.ofMinutes(6), Map.of("LUMEN_UI_TOKEN", token));
        String output = Files.readString(log);
        assertThat(exit).as("ui-check.mjs failed:\n" + output).isZero();
        assertThat(output).contains("ui-check: all checks passed");
        for (String name : List.of("01-runs", "03-running-after", "04-gallery-heatmap", "05-gallery-original",
                "07-image-detail", "09-insights", "10-comparison", "11-sign-in")) {
            assertThat(screenshots.resolve(name + ".png")).isNotEmptyFile();
        }
    }

    /** {@code npm ci} in the script's folder unless its dependencies are installed already. */
    private static void installNodeModules(Path browserDir) throws Exception {
        if (Files.isDirectory(browserDir.resolve("node_modules/playwright-core"))) {
            return;
        }
        Path log = lumen.work().resolve("npm-ci.log");
        int exit = run(List.of("npm", "ci", "--no-audit", "--no-fund"), browserDir, log, Duration.ofMinutes(5), Map.of());
        assertThat(exit).as("npm ci in " + browserDir + " failed:\n" + Files.readString(log)).isZero();
    }

    private static int run(List<String> command, Path dir, Path log, Duration timeout, Map<String, String> env)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n" + Files.readString(log));
        }
        return process.exitValue();
    }
}
