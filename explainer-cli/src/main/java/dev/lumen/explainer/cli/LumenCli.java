package dev.lumen.explainer.cli;

import dev.lumen.explainer.model.ModelLoadException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code lumen} command line: {@code explain} images with a model, build {@code fixtures},
 * {@code bench} the methods.
 * Errors are one line each; {@code --verbose} adds stack traces.
 *
 * <p>Exit codes: 0 success, 1 some images failed, 2 usage error, 3 model cannot be loaded,
 * 4 unexpected failure.
 */
public final class LumenCli {

    static final int OK = 0;
    static final int SOME_FAILED = 1;
    static final int USAGE = 2;
    static final int MODEL_FAILED = 3;
    static final int UNEXPECTED = 4;

    private LumenCli() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        quietLogging();
        System.exit(run(args, System.out, System.err, System.console() != null));
    }

    /**
     * Runs one command without exiting the JVM.
     *
     * @param console whether a person watches (enables the progress bar)
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err, boolean console) {
        List<String> arguments = Arrays.asList(args);
        boolean verbose = arguments.contains("--verbose");
        if (arguments.isEmpty() || arguments.get(0).equals("help") || arguments.get(0).equals("--help")) {
            printUsage(arguments.isEmpty() ? err : out);
            return arguments.isEmpty() ? USAGE : OK;
        }
        List<String> rest = arguments.subList(1, arguments.size());
        try {
            return switch (arguments.get(0)) {
                case "explain" -> new ExplainCommand(out, err, console)
                        .run(CommandLine.parse(rest, ExplainCommand.VALUED, ExplainCommand.FLAGS));
                case "fixtures" -> new FixturesCommand(out)
                        .run(CommandLine.parse(rest, FixturesCommand.VALUED, FixturesCommand.FLAGS));
                case "models" -> new CheckCommand(out)
                        .run(CommandLine.parse(rest, CheckCommand.VALUED, CheckCommand.FLAGS));
                case "bench" -> new BenchCommand(out)
                        .run(CommandLine.parse(rest, BenchCommand.VALUED, BenchCommand.FLAGS));
                default -> throw new UsageException("unknown command '" + arguments.get(0) + "'");
            };
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            printUsage(err);
            return USAGE;
        } catch (ModelLoadException e) {
            err.println("error: cannot load model: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            return MODEL_FAILED;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            err.println("error: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            return USAGE;
        } catch (RuntimeException e) {
            err.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (verbose ? "" : " (run with --verbose for details)"));
            if (verbose) {
                e.printStackTrace(err);
            }
            return UNEXPECTED;
        }
    }

    private static void printUsage(PrintStream stream) {
        stream.println("usage: lumen " + ExplainCommand.USAGE);
        stream.println("       lumen " + FixturesCommand.USAGE);
        stream.println("       lumen " + BenchCommand.USAGE);
        stream.println("       lumen " + CheckCommand.USAGE);
    }

    /** DJL logs through SLF4J; on a terminal only warnings matter, and the CUDA probe's are noise on CPUs. */
    private static void quietLogging() {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
