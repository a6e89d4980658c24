package dev.lumen.results.insights;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * One class in the images of one tag against the class in the other images of the run: each measure's
 * means in both and their difference with a 95% bootstrap interval (absent where either side has fewer
 * than two values).
 *
 * @param tag the images' tag (the slice)
 * @param label the class
 * @param n targets of the class in images with the tag
 * @param rest targets of the class in the other images
 * @param score the model's score
 * @param inBoxEnergy share of the map's energy inside the reference box
 * @param contextDrop score drop when the context is blurred away (context test)
 * @param objectDrop score drop when the object is blurred away (context test)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SliceInsights(String tag, String label, int n, int rest, Bootstrap.Difference score,
                            Bootstrap.Difference inBoxEnergy, Bootstrap.Difference contextDrop,
                            Bootstrap.Difference objectDrop) {

    /** The measures a slice compares, by name, as the findings name them. */
    static final List<Measure> MEASURES = List.of(
            new Measure("score", "score", ImageInsight::score, SliceInsights::score),
            new Measure("inBoxEnergy", "in-box energy", ImageInsight::inBoxEnergy, SliceInsights::inBoxEnergy),
            new Measure("contextDrop", "score drop without the context", ImageInsight::contextDrop, SliceInsights::contextDrop),
            new Measure("objectDrop", "score drop without the object", ImageInsight::objectDrop, SliceInsights::objectDrop));

    /**
     * A measure of a target and where a slice keeps its difference.
     *
     * @param id the measure's name in the API
     * @param words how a sentence names it
     * @param value its value for one target, null when not measured
     * @param of the slice's difference for it
     */
    record Measure(String id, String words, Function<ImageInsight, Double> value, Function<SliceInsights, Bootstrap.Difference> of) {
    }

    /** The slice of {@code tag} within {@code targets} (one class's), or null when the tag has none of them. */
    static SliceInsights of(String tag, String label, List<ImageInsight> targets, Function<ImageInsight, Set<String>> tagsOf) {
        List<ImageInsight> in = new ArrayList<>();
        List<ImageInsight> out = new ArrayList<>();
        for (ImageInsight target : targets) {
            (tagsOf.apply(target).contains(tag) ? in : out).add(target);
        }
        if (in.isEmpty()) {
            return null;
        }
        Bootstrap.Difference[] differences = new Bootstrap.Difference[MEASURES.size()];
        for (int m = 0; m < MEASURES.size(); m++) {
            Function<ImageInsight, Double> value = MEASURES.get(m).value();
            differences[m] = Bootstrap.difference(values(in, value), values(out, value),
                    label + "/" + tag + "/" + MEASURES.get(m).id());
        }
        return new SliceInsights(tag, label, in.size(), out.size(), differences[0], differences[1], differences[2],
                differences[3]);
    }

    private static List<Double> values(List<ImageInsight> targets, Function<ImageInsight, Double> value) {
        return targets.stream().map(value).filter(Objects::nonNull).toList();
    }
}
