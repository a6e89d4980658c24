package dev.lumen.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a benchmark reads off a running service from outside: its Prometheus metrics ({@code /q/metrics})
 * and, when its process runs on this machine, its peak resident set size ({@code VmHWM} in
 * {@code /proc/<pid>/status}).
 */
final class ServiceProbe {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String name;
    private final String baseUrl;
    private final long pid;

    /**
     * @param pid the service's process id on this machine, or -1 when it runs elsewhere
     */
    ServiceProbe(String name, String baseUrl, long pid) {
        this.name = name;
        this.baseUrl = baseUrl;
        this.pid = pid;
    }

    String name() {
        return name;
    }

    /**
     * Pauses ({@code STOP}) or resumes ({@code CONT}) the service's process: {@code --worker-alone}
     * leaves the machine's CPUs to the worker while it explains.
     */
    void signal(String signal) {
        if (pid < 0) {
            throw new CliException("--worker-alone needs the stack this bench starts (" + name + " runs elsewhere)");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new CliException("kill -" + signal + " " + pid + " (" + name + ") failed");
            }
        } catch (IOException e) {
            throw new CliException("cannot signal " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while signalling " + name, e);
        }
    }

    /** The Prometheus text exposition of the service, or null when it does not answer. */
    String metrics() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * The sum of every sample of {@code metric} whose labels contain all of {@code labels} (e.g.
     * {@code area="heap"}), or empty when there is none.
     */
    static OptionalDouble sum(String exposition, String metric, String... labels) {
        if (exposition == null) {
            return OptionalDouble.empty();
        }
        double total = 0;
        boolean found = false;
        for (String line : exposition.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.find() || !m.group(1).equals(metric)) {
                continue;
            }
            String labelSet = m.group(2) == null ? "" : m.group(2);
            boolean matches = true;
            for (String label : labels) {
                matches &= labelSet.contains(label);
            }
            if (matches) {
                try {
                    total += Double.parseDouble(m.group(3));
                    found = true;
                } catch (NumberFormatException e) {
                    // NaN and +Inf are written as text Java parses; anything else is not a sample
                }
            }
        }
        return found ? OptionalDouble.of(total) : OptionalDouble.empty();
    }

    /** Heap in use now, in bytes, from the JVM's own meters. */
    OptionalDouble heapUsed() {
        return sum(metrics(), "jvm_memory_used_bytes", "area=\"heap\"");
    }

    /** Peak resident set size in bytes so far, when the process is on this machine (Linux). */
    OptionalLong peakRss() {
        if (pid < 0) {
            return OptionalLong.empty();
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VmHWM:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return OptionalLong.empty();
    }

    /** The id of the process on this machine whose command line runs {@code service}'s jar, or -1. */
    static long findPid(String service, Iterable<Long> candidates) {
        for (long candidate : candidates) {
            try {
                String cmdline = Files.readString(Path.of("/proc", String.valueOf(candidate), "cmdline"), StandardCharsets.UTF_8);
                if (cmdline.contains(service + "/target/quarkus-app")) {
                    return candidate;
                }
            } catch (IOException e) {
                // gone, or not Linux
            }
        }
        return -1;
    }
}
