package dev.lumen.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.cli.DevTokens;
import dev.lumen.cli.ProgressBar;
import dev.lumen.cli.RunClient;
import dev.lumen.cli.RunWatcher;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole workflow in a real headless Chromium (the Debian package at {@code /usr/bin/chromium},
 * never a downloaded browser), driven by Playwright's {@code playwright-core} from
 * {@code src/test/browser/ui-check.mjs} against the packaged platform, with no API call of the test's
 * own: registering the squares fixture model, uploading its images with ground truth, three refused
 * run forms (0 images, a method the model cannot take, an out-of-range parameter: the API's message
 * at the field, no run created), a Grad-CAM run created from the form and watched to completion with
 * its maps toggled, a slow second run (RISE) whose progressive previews show rising mask counts, cancelled
 * midway (CANCELLED, counts adding up) and deleted, a third run over the same images, insights with their
 * charts and the maps' agreement with the third run, and the comparison sorted by the maps that moved most,
 * the series page, and a D-RISE run on the detector fixture whose previews show rising mask counts until the
 * final maps replace them; axe-core on every
 * page (no serious or critical violation). Screenshots go to {@code target/e2e/screenshots/}.
 *
 * <p>While the browser watches the slow run, this test follows the same run the way
 * {@code ./lumen runs create --follow} does and checks that the CLI's bar and the page show the same
 * ETA for the same progress snapshot.
 *
 * <p>Skipped, with the reason, where {@code /usr/bin/chromium} is missing. Needs Node.js; installs the
 * script's npm dependencies ({@code npm ci}: playwright-core and axe-core) when CI has not done so.
 */
class WebUiIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Pattern PAGE_ETA = Pattern.compile("^ui-check: page-eta (\\S+) (\\S+) (ETA .+)$", Pattern.MULTILINE);

    private static PlatformFixture lumen;

    @BeforeAll
    static void startPlatform() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
                "browser test skipped: no Chromium at " + CHROMIUM + " (install it with: apt-get install -y chromium)");
        lumen = PlatformFixture.start("ui", 0);
    }

    @AfterAll
    static void stopPlatform() {
        if (lumen != null) {
            lumen.close();
        }
    }

    @Test
    void theWholeWorkflowRunsInTheBrowserAndEveryPageIsAccessible() throws Exception {
        Path browserDir = Workspace.locate(Path.of("")).root().resolve("e2e-tests/src/test/browser");
        installNodeModules(browserDir);

        // The files a user would pick: the fixture model as an archive (descriptor inside), its images
        // and their ground truth as COCO JSON.
        Path images = lumen.work().resolve("assets").resolve("images");
        Path upload = Files.createDirectories(lumen.work().resolve("ui-upload"));
        Path archive = zip(lumen.work().resolve("assets").resolve("model"), upload.resolve("squares.zip"));
        Path groundTruth = Files.write(upload.resolve("instances_val.json"), DemoGroundTruth.coco(images));
        // The detector fixture, for a D-RISE run whose progressive previews the page shows.
        Path detector = lumen.work().resolve("assets").resolve("detector");
        int built = run(List.of(javaBin(), "-jar", Workspace.locate(Path.of("")).explainerJar().toString(), "fixtures",
                "detector", "--out", detector.toString()), Path.of("").toAbsolutePath(), lumen.work().resolve("detector.log"),
                Duration.ofMinutes(10), Map.of());
        assertThat(built).as("detector fixture:\n" + Files.readString(lumen.work().resolve("detector.log"))).isZero();
        Path detectorArchive = zip(detector.resolve("model"), upload.resolve("detector.zip"));

        Path screenshots = lumen.work().resolve("screenshots");
        Path log = lumen.work().resolve("ui-check.log");
        String token = lumen.platform().token(DevTokens.DEFAULT_TENANT);
        Map<String, String> cliBar = new ConcurrentHashMap<>();
        AtomicBoolean browsing = new AtomicBoolean(true);
        Thread follower = new Thread(() -> followRunningRuns(cliBar, browsing), "cli-bar");
        follower.setDaemon(true);
        follower.start();
        int exit;
        try {
            exit = run(List.of("node", "ui-check.mjs", lumen.platform().baseUrl("results-service"), archive.toString(),
                    images.toString(), groundTruth.toString(), screenshots.toString(), detectorArchive.toString(),
                    detector.resolve("images").toString()), browserDir, log, Duration.ofMinutes(20),
                    Map.of("LUMEN_UI_TOKEN", token));
        } finally {
            browsing.set(false);
            follower.join(5000);
        }
        String output = Files.readString(log);
        assertThat(exit).as("ui-check.mjs failed:\n" + output).isZero();
        assertThat(output).contains("ui-check: all checks passed");
        for (String name : List.of("01-runs", "03-models", "04-model-detail", "05-datasets", "06-new-run-refused-count",
                "07-new-run-refused-method", "08-new-run-refused-parameter", "09-new-run", "10-run-completed",
                "11-image-detail", "12-run-running", "13-cancel-confirm", "14-run-cancelled", "15-runs-after-delete",
                "16-insights", "17-comparison", "17b-series", "17c-drise-previews", "18-sign-in")) {
            assertThat(screenshots.resolve(name + ".png")).isNotEmptyFile();
        }

        // The page and the CLI's bar wrote the same ETA for every snapshot both saw.
        Matcher seen = PAGE_ETA.matcher(output);
        int compared = 0;
        while (seen.find()) {
            String cli = cliBar.get(seen.group(1) + " " + seen.group(2));
            if (cli != null) {
                assertThat(cli).as("the CLI's bar for the snapshot of %s", seen.group(2)).contains("  " + seen.group(3) + "  ");
                compared++;
            }
        }
        assertThat(compared).as("snapshots seen by both the page and the CLI's bar:\n" + output + "\n" + cliBar).isPositive();
    }

    /**
     * What {@code ./lumen runs create --follow} draws for every running run, twice a second, by run and
     * snapshot time ({@link RunWatcher} reads {@code GET /api/runs/{id}} on results-service).
     */
    private static void followRunningRuns(Map<String, String> bars, AtomicBoolean going) {
        RunClient client = lumen.client();
        while (going.get()) {
            try {
                for (JsonNode progress : client.list()) {
                    if (!"RUNNING".equals(progress.path("state").asText())) {
                        continue;
                    }
                    JsonNode run = client.get(progress.path("runId").asText()).path("progress");
                    bars.put(run.path("runId").asText() + " " + run.path("updatedAt").asText(), ProgressBar.render(run));
                }
            } catch (RuntimeException e) {
                // results-service busy or a run deleted between the two calls: the next round sees it
            }
            PlatformFixture.sleep(400);
        }
    }

    private static Path zip(Path dir, Path target) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target));
             Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(dir.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return target;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code npm ci} in the script's folder unless its dependencies are installed already. */
    private static void installNodeModules(Path browserDir) throws Exception {
        if (Files.isDirectory(browserDir.resolve("node_modules/playwright-core"))
                && Files.isDirectory(browserDir.resolve("node_modules/axe-core"))) {
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
