package dev.lumen.tfjs;

import java.io.PrintStream;

/**
 * {@code lumen models import-tfjs MODEL --out DIR [options]}: imports a TF.js graph model as a
 * SavedModel with a drafted {@code lumen-model.json}. Exit status 0 on success, 1 when the model
 * cannot be imported, 2 on a usage error.
 */
public final class ImportMain {

    static final String USAGE = """
            usage: lumen models import-tfjs MODEL --out DIR [options]
              MODEL                  model.json, model.min.js (JavaScript bundle), or a directory holding one
              --out DIR              SavedModel directory to write (saved_model.pb, variables/, lumen-model.json)
            what lumen-model.json says (guessed or defaulted when left out; the report names each guess):
              --task T               classification | multilabel | attributes | semantic-segmentation | detection
                                     | instance-segmentation
              --labels FILE          label names: one per line, or a JSON array of strings
              --layout L             NHWC | NCHW (default: read from the input's shape)
              --size WxH             input size, for graphs that do not fix it
              --color-order C        RGB | BGR (default RGB)
              --scale S              factor on 0..255 pixel values (default 1/255)
              --mean A,B,C           per-channel mean subtracted after scaling (default 0)
              --std A,B,C            per-channel divisor (default 1)
              --resize R             stretch | letterbox (default stretch)
              --decoder NAME         how outputs become predictions (e.g. nanodet); for detectors left out,
                                     the outputs' layout is drafted from their shapes
              --output ROLE=KEY      output role to signature output key; repeatable
              --score-threshold X    explanation cut-off in [0, 1]
              --target-layer NAME    layer to explain at (default: discovered)
            graph rewrites:
              --dynamic-batch        accept any batch when the graph was exported with batch 1; verified by
                                     running the graph before and after, refused (naming the node) when
                                     the rewrite would change its outputs
            """;

    private ImportMain() {
    }

    /** Runs the import and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the import, printing to {@code out} and {@code err}; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        ImportArguments parsed;
        try {
            parsed = ImportArguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("lumen models import-tfjs: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (parsed.help()) {
            out.print(USAGE);
            return 0;
        }
        try {
            ImportReport report = TfjsImporter.importModel(parsed.model(), parsed.outDir(), parsed.options());
            out.print(report.summary());
            return 0;
        } catch (TfjsImportException e) {
            err.println("lumen models import-tfjs: " + e.getMessage());
            return 1;
        }
    }
}
