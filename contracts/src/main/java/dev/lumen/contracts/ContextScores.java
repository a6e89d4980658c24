package dev.lumen.contracts;

/**
 * A target's context test: its score again with everything outside its reference box(es) blurred away,
 * and with the box(es) blurred away (the insertion metric's blur). Compared with the target's own score,
 * a small drop when the object goes and a large one when the context goes says the context carries it.
 *
 * @param reference where the box(es) came from: {@code ground-truth} (the dataset's objects of the target's
 *                  label) or {@code prediction} (the target's own box)
 * @param contextRemovedScore the score with everything outside the box(es) blurred
 * @param objectRemovedScore the score with the box(es) blurred
 */
public record ContextScores(String reference, double contextRemovedScore, double objectRemovedScore) {
}
