package dev.lumen.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lumen.explainer.model.ModelDescriptor.ColorOrder;
import dev.lumen.explainer.model.ModelDescriptor.Layout;
import dev.lumen.explainer.model.ModelDescriptor.ResizeMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of {@link ImportMain}, parsed. A leading {@code models import-tfjs} is skipped,
 * so the lumen script may pass its arguments through unchanged.
 *
 * @param model the TF.js model file or directory
 * @param outDir the SavedModel directory to write
 * @param options the import options
 * @param help whether usage was asked for
 */
record ImportArguments(Path model, Path outDir, ImportOptions options, boolean help) {

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException naming the offending argument
     */
    static ImportArguments parse(String[] args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        if (rest.size() >= 2 && rest.get(0).equals("models") && rest.get(1).equals("import-tfjs")) {
            rest = rest.subList(2, rest.size());
        } else if (!rest.isEmpty() && rest.get(0).equals("import-tfjs")) {
            rest = rest.subList(1, rest.size());
        }
        if (rest.contains("--help") || rest.contains("-h")) {
            return new ImportArguments(null, null, null, true);
        }
        Path model = null;
        Path out = null;
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> outputs = new LinkedHashMap<>();
        boolean dynamicBatch = false;
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            if (arg.equals("--dynamic-batch")) {
                dynamicBatch = true;
            } else if (arg.startsWith("--")) {
                if (i + 1 >= rest.size()) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                String value = rest.get(++i);
                switch (arg) {
                    case "--out" -> out = Path.of(value);
                    case "--output" -> {
                        int eq = value.indexOf('=');
                        if (eq <= 0 || eq == value.length() - 1) {
                            throw new IllegalArgumentException("--output takes ROLE=KEY, got '" + value + "'");
                        }
                        outputs.put(value.substring(0, eq), value.substring(eq + 1));
                    }
                    case "--task", "--labels", "--layout", "--size", "--color-order", "--scale", "--mean", "--std",
                            "--resize", "--decoder", "--score-threshold", "--target-layer" -> values.put(arg, value);
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            } else if (model == null) {
                model = Path.of(arg);
            } else {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (one model at a time)");
            }
        }
        if (model == null) {
            throw new IllegalArgumentException("name the TF.js model (model.json, model.min.js or a directory)");
        }
        if (out == null) {
            throw new IllegalArgumentException("--out DIR is required");
        }
        return new ImportArguments(model, out, options(values, outputs, dynamicBatch), false);
    }

    private static ImportOptions options(Map<String, String> values, Map<String, String> outputs, boolean dynamicBatch) {
        Integer width = null;
        Integer height = null;
        String size = values.get("--size");
        if (size != null) {
            String[] parts = size.toLowerCase().split("x");
            if (parts.length != 2) {
                throw new IllegalArgumentException("--size takes WxH, got '" + size + "'");
            }
            width = positiveInt(parts[0], "--size");
            height = positiveInt(parts[1], "--size");
        }
        String scoreThreshold = values.get("--score-threshold");
        return new ImportOptions(
                values.get("--task"),
                values.containsKey("--labels") ? readLabels(Path.of(values.get("--labels"))) : null,
                values.containsKey("--layout") ? choice(Layout.class, values.get("--layout"), "--layout") : null,
                width,
                height,
                values.containsKey("--color-order") ? choice(ColorOrder.class, values.get("--color-order"), "--color-order") : null,
                values.containsKey("--scale") ? number(values.get("--scale"), "--scale") : ImportOptions.DEFAULT_SCALE,
                values.containsKey("--mean") ? numbers(values.get("--mean"), "--mean") : null,
                values.containsKey("--std") ? numbers(values.get("--std"), "--std") : null,
                values.containsKey("--resize") ? resize(values.get("--resize")) : null,
                values.get("--decoder"),
                outputs,
                scoreThreshold == null ? null : number(scoreThreshold, "--score-threshold"),
                values.get("--target-layer"),
                dynamicBatch);
    }

    /** Labels from a JSON array of strings, or one per line (blank lines skipped). */
    static List<String> readLabels(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--labels: cannot read " + file + ": " + e.getMessage());
        }
        if (text.strip().startsWith("[")) {
            try {
                JsonNode array = new ObjectMapper().readTree(text);
                List<String> labels = new ArrayList<>();
                array.forEach(label -> labels.add(label.asText()));
                return labels;
            } catch (IOException e) {
                throw new IllegalArgumentException("--labels: " + file + " is not a JSON array: " + e.getMessage());
            }
        }
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String value, String option) {
        try {
            return Enum.valueOf(type, value.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " must be one of " + Arrays.toString(type.getEnumConstants())
                    + ", got '" + value + "'");
        }
    }

    private static ResizeMode resize(String value) {
        return Arrays.stream(ResizeMode.values()).filter(m -> m.id().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--resize must be stretch or letterbox, got '" + value + "'"));
    }

    private static double[] numbers(String value, String option) {
        return Arrays.stream(value.split(",")).mapToDouble(v -> number(v.strip(), option)).toArray();
    }

    private static double number(String value, String option) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number, got '" + value + "'");
        }
    }

    private static int positiveInt(String value, String option) {
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed <= 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes positive integers, got '" + value + "'");
        }
    }
}
