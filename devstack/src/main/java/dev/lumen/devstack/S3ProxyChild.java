package dev.lumen.devstack;

import java.io.IOException;

/**
 * Main class of the S3Proxy child process: runs S3Proxy, and halts as soon as stdin reaches end
 * of file. The launcher holds the other end of that pipe, so the operating system closes it when
 * the launcher dies in any way, {@code kill -9} included, and no orphaned S3 server remains.
 */
public final class S3ProxyChild {

    private S3ProxyChild() {
    }

    /** Same arguments as {@code org.gaul.s3proxy.Main}. */
    public static void main(String[] args) throws Exception {
        Thread parentWatch = new Thread(S3ProxyChild::haltAtEndOfStdin, "lumen-parent-watch");
        parentWatch.setDaemon(true);
        parentWatch.start();
        org.gaul.s3proxy.Main.main(args);
    }

    private static void haltAtEndOfStdin() {
        try {
            while (System.in.read() != -1) {
                // The launcher never writes; anything read is ignored.
            }
        } catch (IOException e) {
            // A broken pipe means the same as end of file: the launcher is gone.
        }
        // Halt rather than exit: an orphan has nobody to report to, and no hook may keep it alive.
        Runtime.getRuntime().halt(0);
    }
}
