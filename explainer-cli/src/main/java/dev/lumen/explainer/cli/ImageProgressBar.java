package dev.lumen.explainer.cli;

import java.io.PrintStream;

/**
 * A one-line progress bar redrawn in place, shown only when a person is watching (a console is
 * attached); in logs and pipes it stays silent and the summary line says what happened.
 */
final class ImageProgressBar {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean enabled;
    private final int total;
    private final long start = System.nanoTime();

    ImageProgressBar(PrintStream out, boolean enabled, int total) {
        this.out = out;
        this.enabled = enabled;
        this.total = total;
    }

    /** Shows that {@code done} of the items are finished, the last one being {@code item}. */
    void update(int done, String item) {
        if (!enabled) {
            return;
        }
        int filled = total == 0 ? WIDTH : done * WIDTH / total;
        double seconds = (System.nanoTime() - start) / 1e9;
        String eta = done == 0 || done == total ? "" : String.format(" eta %.0fs", seconds / done * (total - done));
        out.printf("\r[%s%s] %d/%d %.1fs%s %s\u001b[K", "#".repeat(filled), ".".repeat(WIDTH - filled), done, total,
                seconds, eta, item);
        out.flush();
    }

    /** Ends the bar's line so that later output starts on a fresh one. */
    void finish() {
        if (enabled) {
            out.println();
        }
    }

    /** Prints a message on its own line without garbling the bar. */
    void message(String text) {
        if (enabled) {
            out.print("\r\u001b[K");
        }
        out.println(text);
    }
}
