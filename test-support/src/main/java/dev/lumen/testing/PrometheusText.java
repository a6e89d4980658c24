package dev.lumen.testing;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;

/**
 * One scrape of a service's {@code /q/metrics} in the Prometheus text format, read by series name
 * and label matchers, for tests that check what a service counted.
 *
 * @param lines the sample lines (comments and blank lines dropped)
 */
public record PrometheusText(List<String> lines) {

    /** Scrapes {@code /q/metrics} of the application under test (REST Assured's base URI and port). */
    public static PrometheusText scrape() {
        String body = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return parse(body);
    }

    /** Reads a scrape's text. */
    public static PrometheusText parse(String body) {
        return new PrometheusText(body.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList());
    }

    /**
     * Scrapes until {@code ready} holds or 15 s have passed, and returns the last scrape: meters move
     * just after the event a test waits for (e.g. after the broker acknowledged a result).
     */
    public static PrometheusText awaitScrape(Predicate<PrometheusText> ready) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        PrometheusText text = scrape();
        while (!ready.test(text) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            text = scrape();
        }
        return text;
    }

    /**
     * The sum of the samples of series {@code name} whose labels contain every one of {@code labels}
     * (each written as in the text format, e.g. {@code outcome="explained"}); 0 when there are none.
     */
    public double sum(String name, String... labels) {
        double sum = 0;
        for (String line : lines) {
            String series = seriesOf(line);
            if (!nameOf(series).equals(name)) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= series.contains(label);
            }
            if (all) {
                // After the series: the value, then maybe a timestamp or an exemplar ("# {trace_id=...} 1 ts").
                sum += Double.parseDouble(line.substring(series.length()).strip().split("\\s+")[0]);
            }
        }
        return sum;
    }

    /** The distinct series names of the scrape. */
    public List<String> names() {
        return lines.stream().map(line -> nameOf(seriesOf(line))).distinct().toList();
    }

    /** The name and labels of a sample line, e.g. {@code lumen_runs{state="running"}}. */
    private static String seriesOf(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (brace >= 0 && (space < 0 || brace < space)) {
            return line.substring(0, line.indexOf('}', brace) + 1);
        }
        return space < 0 ? line : line.substring(0, space);
    }

    private static String nameOf(String series) {
        int brace = series.indexOf('{');
        return brace < 0 ? series : series.substring(0, brace);
    }
}
