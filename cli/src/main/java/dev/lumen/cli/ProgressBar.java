package dev.lumen.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;

/**
 * Draws a run's progress on one terminal line ({@code \r} redraws); when the output is not a terminal,
 * prints a line only when the counts change.
 */
public final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private String lastLine = "";

    public ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Shows the progress object of {@code GET /api/runs/{id}}. */
    public void show(JsonNode progress) {
        String line = render(progress);
        if (line.equals(lastLine)) {
            return;
        }
        lastLine = line;
        if (terminal) {
            out.print("\r" + line + "\u001B[K");
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the bar's line. */
    public void finish() {
        if (terminal) {
            out.println();
        }
    }

    /** One line for the progress object of {@code GET /api/runs/{id}}: counts, throughput, ETA, state. */
    public static String render(JsonNode p) {
        int total = p.path("total").asInt();
        int explained = p.path("explained").asInt();
        int skipped = p.path("skipped").asInt();
        int failed = p.path("failed").asInt();
        int done = explained + skipped + failed;
        int filled = total == 0 ? 0 : (int) Math.round((double) WIDTH * done / total);
        StringBuilder bar = new StringBuilder("[");
        bar.append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
        bar.append(done).append('/').append(total);
        bar.append(String.format("  explained %d  skipped %d  failed %d", explained, skipped, failed));
        double rate = p.path("imagesPerSecond").asDouble();
        if (rate > 0) {
            // D-RISE on a real detector takes seconds per image: show s/img rather than "0.00 img/s".
            bar.append(rate >= 1 ? String.format("  %.2f img/s", rate) : String.format("  %.1f s/img", 1 / rate));
        }
        if (p.hasNonNull("etaSeconds")) {
            bar.append("  ETA ").append(duration(p.path("etaSeconds").asLong()));
        }
        bar.append("  ").append(TerminalText.safe(p.path("state").asText()));
        return bar.toString();
    }

    /**
     * Seconds as the web UI writes them ({@code duration} in lumen.js): "45 s", "3 min 20 s",
     * "1 h 2 min". The run page and this bar show one run's ETA from the same progress snapshot, so
     * they must also write it the same way.
     */
    public static String duration(long seconds) {
        long s = Math.max(0, seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + (s % 3600) / 60 + " min";
    }
}
