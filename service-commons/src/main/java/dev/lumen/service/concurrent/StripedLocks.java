package dev.lumen.service.concurrent;

/**
 * A fixed number of locks, one chosen per key by its hash: work on one key is serialised (two
 * deliveries of one image, two updates of one run) while work on most other keys goes on in parallel,
 * with memory that does not grow with the keys seen.
 */
public final class StripedLocks {

    private final Object[] locks;

    /** {@code stripes} locks; keys share one when their hashes meet modulo that number. */
    public StripedLocks(int stripes) {
        if (stripes < 1) {
            throw new IllegalArgumentException("at least one stripe, got " + stripes);
        }
        locks = new Object[stripes];
        for (int i = 0; i < stripes; i++) {
            locks[i] = new Object();
        }
    }

    /** The lock of {@code key}: always the same one for equal keys. */
    public Object of(String key) {
        return locks[Math.floorMod(key.hashCode(), locks.length)];
    }
}
