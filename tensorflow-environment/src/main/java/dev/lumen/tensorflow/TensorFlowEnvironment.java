package dev.lumen.tensorflow;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Process settings that must be in place before TensorFlow's natives load: DJL in offline mode
 * (Lumen ships its natives and never downloads), and TensorFlow's C++ logging limited to warnings
 * unless {@code TF_CPP_MIN_LOG_LEVEL} is already set (its INFO lines on every model load are noise
 * in a CLI and in service logs).
 */
public final class TensorFlowEnvironment {

    private static volatile boolean prepared;

    /** The C library's {@code setenv}: TensorFlow reads its settings from the process environment. */
    private interface CLibrary extends Library {
        int setenv(String name, String value, int overwrite);
    }

    private TensorFlowEnvironment() {
    }

    /** Applies the settings once; later calls do nothing. Never fails: at worst TensorFlow is chattier. */
    public static synchronized void prepare() {
        if (prepared) {
            return;
        }
        prepared = true;
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getenv("TF_CPP_MIN_LOG_LEVEL") == null) {
            try {
                Native.load("c", CLibrary.class).setenv("TF_CPP_MIN_LOG_LEVEL", "2", 0);
            } catch (LinkageError | RuntimeException e) {
                // No libc through JNA (unusual platform): keep TensorFlow's default logging.
            }
        }
    }
}
