package dev.lumen.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Static checks of a service's Dockerfile (no Docker engine is needed): pinned base images, a
 * non-root final user, a health check on the Quarkus health endpoint, and an exec-form entry point
 * that honours {@code JAVA_OPTS}.
 */
public final class Dockerfiles {

    private Dockerfiles() {
    }

    /**
     * One instruction with its continuation lines joined.
     *
     * @param keyword   the instruction, upper case
     * @param arguments everything after it
     * @param line      the line it starts on, from 1
     */
    public record Instruction(String keyword, String arguments, int line) {
    }

    /** The instructions of a Dockerfile; comments and blank lines dropped, continuations joined. */
    public static List<Instruction> parse(String text) {
        List<Instruction> result = new ArrayList<>();
        StringBuilder current = null;
        int start = 0;
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (current == null && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (current != null && trimmed.startsWith("#")) {
                // Comment lines inside a continued instruction are dropped by Docker.
                continue;
            }
            if (current == null) {
                current = new StringBuilder();
                start = i + 1;
            }
            boolean continued = trimmed.endsWith("\\");
            current.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continued) {
                String instruction = current.toString().strip();
                int space = instruction.indexOf(' ');
                result.add(new Instruction(
                        (space < 0 ? instruction : instruction.substring(0, space)).toUpperCase(Locale.ROOT),
                        space < 0 ? "" : instruction.substring(space + 1).strip(), start));
                current = null;
            }
        }
        if (current != null) {
            throw new IllegalArgumentException("Dockerfile ends inside a continued instruction");
        }
        return result;
    }

    /** The instructions of the last stage (from its FROM on). */
    public static List<Instruction> finalStage(List<Instruction> all) {
        int from = -1;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).keyword().equals("FROM")) {
                from = i;
            }
        }
        if (from < 0) {
            throw new IllegalArgumentException("Dockerfile has no FROM");
        }
        return all.subList(from, all.size());
    }

    /** The image of a FROM instruction (without {@code --platform} and {@code AS name}). */
    public static String fromImage(Instruction from) {
        for (String word : from.arguments().split("\\s+")) {
            if (!word.startsWith("--")) {
                return word;
            }
        }
        return "";
    }

    /** Problems of {@code text} (named {@code name} in messages) serving HTTP on {@code port}. */
    public static List<String> check(String name, String text, int port) {
        List<String> problems = new ArrayList<>();
        List<Instruction> all = parse(text);
        for (Instruction i : all) {
            if (i.keyword().equals("FROM")) {
                String image = fromImage(i);
                String tag = image.contains("@") ? "digest" : image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
                if (!image.startsWith("$") && (tag.isEmpty() || tag.equals("latest"))) {
                    problems.add(name + ":" + i.line() + ": pin the base image (" + image + ")");
                }
            }
            if (i.keyword().equals("ADD") && i.arguments().contains("://")) {
                problems.add(name + ":" + i.line() + ": ADD from a URL is neither pinned nor verified");
            }
        }
        List<Instruction> last = finalStage(all);
        List<Instruction> users = last.stream().filter(i -> i.keyword().equals("USER")).toList();
        if (users.isEmpty()) {
            problems.add(name + ": the final stage runs as root (no USER)");
        } else {
            String user = users.get(users.size() - 1).arguments().split(":")[0];
            if (user.equals("root") || user.equals("0")) {
                problems.add(name + ": the final USER is root");
            }
        }
        List<Instruction> health = last.stream().filter(i -> i.keyword().equals("HEALTHCHECK")).toList();
        if (health.isEmpty() || !health.get(0).arguments().contains("/q/health/")) {
            problems.add(name + ": needs a HEALTHCHECK on /q/health/ready");
        } else if (!health.get(0).arguments().contains(String.valueOf(port))) {
            problems.add(name + ": HEALTHCHECK does not use port " + port);
        }
        if (last.stream().noneMatch(i -> i.keyword().equals("EXPOSE") && i.arguments().contains(String.valueOf(port)))) {
            problems.add(name + ": should EXPOSE " + port);
        }
        List<Instruction> entry = last.stream().filter(i -> i.keyword().equals("ENTRYPOINT")).toList();
        if (entry.isEmpty()) {
            problems.add(name + ": no ENTRYPOINT");
        } else {
            String args = entry.get(entry.size() - 1).arguments();
            if (!args.startsWith("[")) {
                problems.add(name + ": ENTRYPOINT must be in exec form so the JVM gets signals");
            }
            if (!args.contains("exec java") || !args.contains("$JAVA_OPTS")) {
                problems.add(name + ": ENTRYPOINT must exec java with $JAVA_OPTS");
            }
        }
        if (last.stream().noneMatch(i -> i.keyword().equals("ENV") && i.arguments().contains("JAVA_OPTS="))) {
            problems.add(name + ": set default JAVA_OPTS (container-aware heap)");
        }
        return problems;
    }
}
