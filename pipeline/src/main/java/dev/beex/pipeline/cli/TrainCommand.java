package dev.beex.pipeline.cli;

import dev.beex.model.Precision;
import dev.beex.model.artifact.ArtifactReader;
import dev.beex.model.artifact.ArtifactWriter;
import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.data.LabeledText;
import dev.beex.model.teacher.Teacher;
import dev.beex.model.teacher.TeacherCache;
import dev.beex.model.train.LexicalOptions;
import dev.beex.model.train.TrainOptions;
import dev.beex.model.train.TrainedModel;
import dev.beex.model.train.Trainer;
import dev.beex.model.train.TrainingProgress;
import dev.beex.model.train.WarmStart;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code beex train}: binarization-aware training, exit-rule calibration on dev, then the model artifact. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains a BEExformer (binarization-aware, soft-routing loss over all exits), calibrates "
            + "the early-exit rule (kind, threshold, confidence floor) on the dev split for the review budget "
            + "and writes the model artifact.")
public final class TrainCommand implements Callable<Integer> {
    private static final TrainOptions D = TrainOptions.defaults();
    /** Artifact metadata key of the review budget the rule was calibrated for ({@code beex eval} reuses it). */
    static final String HARD_BUDGET_KEY = "calibration.hardBudget";

    @Option(names = "--train", required = true, description = "Training data (.jsonl, .csv, .tsv).")
    Path train;

    @Option(names = "--dev", required = true, description = "Dev data: selects the epoch and calibrates delta.")
    Path dev;

    @Option(names = "--out", required = true, description = "Model artifact to write (e.g. model.beex).")
    Path out;

    @Option(names = "--init", paramLabel = "MODEL", description = "Warm start: continue training from this model artifact"
            + " (e.g. on its training data plus reviewed hard examples). Its tokenizer, labels and shape are kept and every"
            + " parameter is trained; the model as it came in competes with every epoch on dev, so the result is never less"
            + " accurate on dev. Shape, tokenizer, --arch, --attention, --precision, --lex-pretrain and teacher options cannot be combined with it.")
    Path init;

    /** Options a warm start cannot take: the model fixes its shape and tokenizer, and a teacher would overwrite its embeddings. */
    private static final List<String> NOT_WITH_INIT = List.of("--precision", "--arch", "--attention", "--lex-buckets", "--lex-dim",
            "--lex-pretrain", "--dim", "--heads", "--blocks", "--hidden", "--max-tokens", "--vocab", "--min-count",
            "--teacher-cache", "--teacher-use", "--distill-weight", "--distill-temperature");

    @Spec
    CommandSpec spec;

    @Option(names = "--precision", description = "binary (BEExformer) or float (baseline). Default: binary.")
    String precision = "binary";

    @Option(names = "--arch", description = "lexical (default): a hashed 1-bit lexical path (word uni/bigrams, char 3-5-grams)"
            + " with an exit 0 before block 1, whose vector every block exit also reads; paper: the paper's network"
            + " (one exit per block, no lexical path).")
    String arch = "lexical";

    @Option(names = "--attention", description = "Attention scores: binary (the signs of q and k, one XOR and popcount per"
            + " token pair and head, the softmax from a table; as accurate on dev and faster on long texts) or float (q·k"
            + " in float). Default: binary; float with --precision float and with --arch paper (the paper's network unchanged).")
    String attention;

    private boolean parseAttention(Precision p, boolean lexicalArch) {
        if (attention == null) {
            return p == Precision.BINARY && lexicalArch && TrainOptions.DEFAULT_BINARY_ATTENTION;
        }
        return switch (attention.trim().toLowerCase(Locale.ROOT)) {
            case "binary" -> true;
            case "float" -> false;
            default -> throw new UserException("--attention: '" + attention + "' is not float or binary");
        };
    }

    @Option(names = "--lex-buckets", description = "Lexical path: rows of the hashed feature table. Default: ${DEFAULT-VALUE}.")
    int lexBuckets = D.lexical().buckets();

    @Option(names = "--lex-dim", description = "Lexical path: width of the lexical vector (bits per table row). Default: ${DEFAULT-VALUE}.")
    int lexDim = D.lexical().dim();

    @Option(names = "--lex-lr-scale", description = "Lexical path: the table's learning rate is lr times this. Default: ${DEFAULT-VALUE}.")
    float lexLrScale = D.lexical().lrScale();

    @Option(names = "--lex-pretrain", paramLabel = "N|auto", description = "Lexical path: passes that train the hashed "
            + "table and exit 0 alone before the blocks (the best on dev is kept); the table and exit 0 then stay fixed "
            + "while the blocks train, each block exit starting as a copy of exit 0. 0 = train the table with the network "
            + "instead. auto = " + LexicalOptions.DEFAULT_PRETRAIN_EPOCHS + ", or 0 when a teacher is used (chosen on dev, "
            + "docs/training.md). Default: ${DEFAULT-VALUE}.")
    String lexPretrain = "auto";

    @Option(names = "--dim", description = "Model width d. Default: ${DEFAULT-VALUE}.")
    int dim = D.dim();

    @Option(names = "--heads", description = "Attention heads. Default: ${DEFAULT-VALUE}.")
    int heads = D.heads();

    @Option(names = "--blocks", description = "Blocks (exits: blocks + 1 with the lexical path). Default: ${DEFAULT-VALUE}.")
    int blocks = D.blocks();

    @Option(names = "--hidden", description = "SLFN hidden width. Default: ${DEFAULT-VALUE}.")
    int hidden = D.slfnHidden();

    @Option(names = "--max-tokens", description = "Longest token sequence. Default: ${DEFAULT-VALUE}.")
    int maxTokens = D.maxTokens();

    @Option(names = "--vocab", description = "Tokenizer vocabulary budget. Default: ${DEFAULT-VALUE}.")
    int vocab = D.maxVocab();

    @Option(names = "--min-count", description = "Tokenizer minimum count. Default: ${DEFAULT-VALUE}.")
    int minCount = D.minCount();

    @Option(names = "--epochs", description = "Passes over the training data, or auto: "
            + TrainOptions.AUTO_RECORD_BUDGET + " / records, between 1 and " + TrainOptions.AUTO_MAX_EPOCHS + ". Default: auto.")
    String epochs = "auto";

    @Option(names = "--batch", description = "Records per optimizer step. Default: ${DEFAULT-VALUE}.")
    int batch = D.batchSize();

    @Option(names = "--lr", description = "Peak Adam learning rate. Default: ${DEFAULT-VALUE}.")
    float lr = D.learningRate();

    @Option(names = "--warmup", description = "Fraction of steps with linear warmup (then cosine decay). Default: ${DEFAULT-VALUE}.")
    float warmup = D.warmup();

    @Option(names = "--dropout", description = "Dropout on the SLFN output. Default: ${DEFAULT-VALUE}.")
    float dropout = D.dropout();

    @Option(names = "--token-dropout", description = "Training only: probability that an input token is left out of the sequence (word dropout). Default: ${DEFAULT-VALUE}.")
    float tokenDropout = D.tokenDropout();

    @Option(names = "--weight-decay", description = "AdamW decay on float matrices. Default: ${DEFAULT-VALUE}.")
    float weightDecay = D.weightDecay();

    @Option(names = "--clip", description = "Global gradient-norm clip (0 = off). Default: ${DEFAULT-VALUE}.")
    float clip = D.gradClip();

    @Option(names = "--exit-weights", description = "Soft-routing loss weights: linear (w_e ~ e + 1), uniform, last, or one number per exit (exit 0 first). Default: ${DEFAULT-VALUE}.")
    String exitWeights = D.exitWeights();

    @Option(names = "--exit-tolerance", description = "Exit-rule calibration: accuracy within this of the best counts as a tie (fewest blocks wins). Default: ${DEFAULT-VALUE}.")
    double exitTolerance = D.exitTolerance();

    @Option(names = "--hard-budget", paramLabel = "F", description = "Review budget: calibrate the exit rule so that about this fraction of dev records reach the last exit still unsure (hard examples, sent to review); 0 = none. Default: ${DEFAULT-VALUE}.")
    double hardBudget = D.hardBudget();

    @Option(names = "--seed", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed = D.seed();

    @Option(names = "--threads", description = "Worker threads. Default: available processors (${DEFAULT-VALUE}).")
    int threads = D.threads();

    @Option(names = "--teacher", paramLabel = "auto|always|off", description = "Pretrained knowledge while training only"
            + " (all-MiniLM-L6-v2, offline; never part of the model). auto: its outputs for the --train and --dev files"
            + " are read from the teacher cache (computed there first when missing and the teacher jar is known, as"
            + " ./beex arranges), and the teacher is used only when its own head is clearly more accurate on dev than"
            + " the pre-trained lexical exit 0; without outputs or jar, training goes on without it. always: used"
            + " whatever the comparison (its outputs for --train must exist). off: never. Default: ${DEFAULT-VALUE}.")
    String teacherMode = "auto";

    @Option(names = "--teacher-cache", paramLabel = "DIR", description = "Teacher outputs, one file per data file"
            + " ('beex teacher --data FILE --out DIR'), named by the file's sha-256. Default: beex/teacher under"
            + " $XDG_CACHE_HOME, else under ~/.cache, so one cache serves every run.")
    Path teacherCache;

    @Option(names = "--teacher-use", description = "With a teacher: init (token embeddings from the teacher's word vectors), distill (soft labels of a head on its sentence embeddings), or both. Default: ${DEFAULT-VALUE}.")
    String teacherUse = "both";

    @Option(names = "--distill-weight", description = "Distillation weight lambda in [0, 1]. Default: ${DEFAULT-VALUE}.")
    float distillWeight = Teacher.DEFAULT_LAMBDA;

    @Option(names = "--distill-temperature", description = "Distillation temperature T. Default: ${DEFAULT-VALUE}.")
    float distillTemperature = Teacher.DEFAULT_TEMPERATURE;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        Precision p = switch (precision.trim().toLowerCase(Locale.ROOT)) {
            case "binary", "bin", "1bit" -> Precision.BINARY;
            case "float", "fp32" -> Precision.FLOAT;
            default -> throw new UserException("--precision: '" + precision + "' is not binary or float");
        };
        int epochCount = parseEpochs(epochs);
        boolean lexicalArch = switch (arch.trim().toLowerCase(Locale.ROOT)) {
            case "lexical" -> true;
            case "paper" -> false;
            default -> throw new UserException("--arch: '" + arch + "' is not lexical or paper");
        };
        TrainOptions options;
        try {
            LexicalOptions lexical = lexicalArch ? new LexicalOptions(lexBuckets, lexDim, lexLrScale, parseLexPretrain()) : LexicalOptions.NONE;
            options = new TrainOptions(dim, heads, blocks, hidden, maxTokens, vocab, minCount, p, epochCount, batch, lr,
                    warmup, weightDecay, clip, dropout, tokenDropout, exitWeights, seed, threads, exitTolerance, hardBudget,
                    lexical, parseAttention(p, lexicalArch));
        } catch (IllegalArgumentException e) {
            throw new UserException("train: " + e.getMessage());
        }
        WarmStart warmStart = init == null ? null : loadWarmStart();
        if (warmStart != null) {
            try {
                options = options.withShapeOf(warmStart.config());
            } catch (IllegalArgumentException e) {
                throw new UserException("train: " + e.getMessage());
            }
        }
        List<LabeledText> trainData = CliFiles.readData(train, "--train");
        List<LabeledText> devData = CliFiles.readData(dev, "--dev");
        PrintStream err = System.err;
        Trainer trainer = new Trainer().withLog(System.out::println);
        if (warmStart != null) {
            trainer = trainer.withWarmStart(warmStart);
        }
        Teacher teacher = loadTeacher(lexicalArch, warmStart != null, options.lexical().pretrained());
        if (teacher != null) {
            trainer = trainer.withTeacher(teacher, line -> System.out.println(line));
        }
        ProgressBar bar = new ProgressBar(err, quiet);
        long start = System.nanoTime();
        TrainedModel model;
        try {
            model = trainer.train(trainData, devData, options, bar::update);
        } catch (IllegalArgumentException e) {
            bar.finish();
            throw new UserException("train: " + e.getMessage());
        }
        bar.finish();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("train.file", train.getFileName().toString());
        metadata.put("train.records", Integer.toString(trainData.size()));
        metadata.put("train.options", options.toString());
        if (teacher != null) {
            metadata.put("train.teacher", teacher.outputs().teacherId() + (model.teacherUsed() ? " used" : " not used")
                    + (teacher.judged() ? " (judged on dev)" : " (always)")
                    + " use=" + teacherUse.trim().toLowerCase(Locale.ROOT)
                    + (teacher.distill() ? " lambda=" + distillWeight + " T=" + distillTemperature : "")
                    + (model.teacherUsed() ? " lexPretrain=" + teacher.lexPretrainEpochs() : ""));
        }
        if (warmStart != null) {
            metadata.put("train.init", warmStart.source());
        }
        metadata.put("train.bestEpoch", Integer.toString(model.bestEpoch()));
        metadata.put("dev.accuracy", String.format(Locale.ROOT, "%.4f", model.devAccuracy()));
        metadata.put("dev.meanBlocks", String.format(Locale.ROOT, "%.3f", model.devMeanBlocks()));
        metadata.put("dev.hardFraction", String.format(Locale.ROOT, "%.4f", model.devHardFraction()));
        metadata.put(HARD_BUDGET_KEY, Double.toString(options.hardBudget()));
        ModelArtifact artifact = ArtifactWriter.create(model.params(), model.tokenizer(), model.labels(),
                model.exitRule(), metadata);
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            artifact.write(out);
        } catch (IOException e) {
            throw new UserException("cannot write " + out + ": " + e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintStream o = System.out;
        o.printf(Locale.ROOT, "trained %s model: %d train / %d dev records, labels %s, vocabulary %d%n",
                p.name().toLowerCase(Locale.ROOT), trainData.size(), devData.size(), model.labels(),
                model.tokenizer().vocabSize());
        if (warmStart != null && model.bestEpoch() == 0) {
            o.printf(Locale.ROOT, "no epoch beat %s on dev (last exit): its parameters are written unchanged, exit rule recalibrated%n",
                    warmStart.source());
        }
        o.printf(Locale.ROOT, "best epoch %d of %d: dev accuracy %.4f (last exit %.4f), exit rule %s, mean blocks %.2f of %d%n",
                model.bestEpoch(), options.epochsFor(trainData.size()), model.devAccuracy(), model.devLastExitAccuracy(), model.exitRule(),
                model.devMeanBlocks(), options.blocks());
        o.printf(Locale.ROOT, "dev with the rule (model as stored): hard examples %.4f (budget %.4f), FLOPs saved %.4f%n",
                model.devHardFraction(), options.hardBudget(), model.devFlopsSaved());
        o.printf(Locale.ROOT, "wall time %.1f s; wrote %s: %,d bytes (float32 export would be %,d bytes, %.1fx)%n",
                seconds, out, artifact.artifactBytes(), artifact.float32Bytes(),
                (double) artifact.float32Bytes() / artifact.artifactBytes());
        return 0;
    }

    /** {@code --init}: the model to continue from, refused with the options that would change its shape or tokenizer. */
    private WarmStart loadWarmStart() {
        for (String option : NOT_WITH_INIT) {
            if (spec != null && spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new UserException("--init: " + option + " cannot be combined with a warm start (the model keeps its"
                        + " shape, tokenizer and embeddings)");
            }
        }
        ModelArtifact from;
        try {
            from = ArtifactReader.read(init);
        } catch (IOException e) {
            throw new UserException("--init: cannot read " + init + ": " + e.getMessage(), e);
        }
        return WarmStart.of(from, init.getFileName() + " (sha256 " + from.sha256().substring(0, 12) + ")");
    }

    /**
     * {@code --lex-pretrain}: a pass count, or auto. With a teacher the pre-trained, frozen lexical
     * exit left the blocks little to learn (sentences dev 0.843 against 0.849 without pre-training).
     */
    private int parseLexPretrain() {
        String v = lexPretrain.trim().toLowerCase(Locale.ROOT);
        if (v.equals("auto")) {
            return LexicalOptions.DEFAULT_PRETRAIN_EPOCHS;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new UserException("--lex-pretrain: '" + lexPretrain + "' is not a number of passes >= 0 or auto");
    }

    /**
     * The teacher of this run (null: none). {@code --teacher auto} finds or computes its outputs for
     * the --train and --dev files and lets the trainer judge it on dev; {@code always} needs the
     * --train outputs and uses them; {@code off}, a warm start (its embeddings are trained) and the
     * paper network (no lexical exit 0 to judge against) under auto have none.
     */
    private Teacher loadTeacher(boolean lexicalArch, boolean warmStart, boolean lexPretrained) {
        String mode = teacherMode.trim().toLowerCase(Locale.ROOT);
        boolean always = switch (mode) {
            case "always" -> true;
            case "auto", "off" -> false;
            default -> throw new UserException("--teacher: '" + teacherMode + "' is not auto, always or off");
        };
        String use = teacherUse.trim().toLowerCase(Locale.ROOT);
        boolean init = use.equals("init") || use.equals("both");
        boolean distill = use.equals("distill") || use.equals("both");
        if (!init && !distill) {
            throw new UserException("--teacher-use: '" + teacherUse + "' is not init, distill or both");
        }
        if (mode.equals("off")) {
            return null;
        }
        if (warmStart) {
            if (always) {
                throw new UserException("--init: --teacher always cannot be combined with a warm start (its initialization"
                        + " would overwrite the trained embeddings)");
            }
            return null;
        }
        if (!always && !(lexicalArch && lexPretrained)) {
            System.out.println("teacher: off (auto judges a teacher against the pre-trained lexical exit 0, which "
                    + (lexicalArch ? "--lex-pretrain 0 turns off" : "--arch paper does not have") + "; --teacher always uses it)");
            return null;
        }
        Path dir = teacherCache != null ? teacherCache : defaultCacheDir();
        Optional<TeacherRunner> runner = TeacherRunner.find();
        try {
            // judging needs the record embeddings; "always" takes what is there (word vectors serve init)
            Optional<TeacherCache.Outputs> found = outputsFor(train, dir, runner, !always);
            if (found.isEmpty() || (!always && found.get().records().length == 0)) {
                String why = found.isEmpty() ? "no teacher outputs for " + train.getFileName() + " in " + dir
                        : "the outputs for " + train.getFileName() + " in " + dir + " hold word vectors only, from beex"
                        + " teacher --words-only; judging the teacher needs its record embeddings";
                if (always) {
                    throw new UserException("--teacher-cache: " + why + ": run beex teacher --data " + train + " --out " + dir);
                }
                System.out.println("teacher: none (" + why + (runner.isEmpty() ? ", and no teacher jar to compute them" : "")
                        + ": ./beex provides the jar, or run beex teacher --data " + train + " --out " + dir
                        + "); training without one");
                return null;
            }
            TeacherCache.Outputs outputs = found.get();
            TeacherCache.Outputs devOutputs = outputsFor(dev, dir, runner, true)
                    .filter(d -> d.records().length > 0 && d.teacherId().equals(outputs.teacherId())).orElse(null);
            if (devOutputs == null && !always) {
                System.out.println("teacher: none (no outputs of " + outputs.teacherId() + " for the dev file " + dev.getFileName()
                        + " in " + dir + ", needed to judge it: run beex teacher --data " + dev + " --out " + dir
                        + "); training without one");
                return null;
            }
            int passesWithTeacher = lexPretrain.trim().equalsIgnoreCase("auto") ? 0 : parseLexPretrain();
            return new Teacher(outputs, init, distill, distillWeight, distillTemperature, devOutputs, !always, passesWithTeacher);
        } catch (IOException e) {
            throw new UserException("--teacher-cache: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UserException("train: " + e.getMessage());
        }
    }

    /**
     * The teacher's outputs for {@code data} in {@code dir}; when they are missing (or, with
     * {@code needRecords}, hold word vectors only) and the teacher jar is known, it computes them first.
     */
    private Optional<TeacherCache.Outputs> outputsFor(Path data, Path dir, Optional<TeacherRunner> runner, boolean needRecords)
            throws IOException {
        Optional<TeacherCache.Outputs> found = read(dir, data);
        if (runner.isPresent() && (found.isEmpty() || (needRecords && found.get().records().length == 0))) {
            runner.get().run(data, dir, vocab, minCount, System.out);
            found = read(dir, data);
        }
        return found;
    }

    private static Optional<TeacherCache.Outputs> read(Path dir, Path data) throws IOException {
        Optional<Path> file = TeacherCache.lookup(dir, data);
        return file.isEmpty() ? Optional.empty() : Optional.of(TeacherCache.read(file.get()));
    }

    /** $XDG_CACHE_HOME/beex/teacher, else ~/.cache/beex/teacher: outputs are keyed by the data file's sha-256, so one cache serves every run. */
    static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("beex").resolve("teacher");
    }

    /** "auto" gives {@link TrainOptions#AUTO_EPOCHS}; otherwise a count >= 1. */
    private static int parseEpochs(String value) {
        String v = value.trim();
        if (v.equalsIgnoreCase("auto")) {
            return TrainOptions.AUTO_EPOCHS;
        }
        int count;
        try {
            count = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UserException("--epochs: '" + value + "' is not a number or auto");
        }
        if (count < 1) {
            throw new UserException("--epochs: must be >= 1 or auto, not " + value);
        }
        return count;
    }

    /** One terminal line, rewritten with \r: epoch, step, loss, dev accuracy, ETA. */
    static final class ProgressBar {
        private static final int WIDTH = 24;
        private final PrintStream out;
        private final boolean quiet;
        private double lastDev = Double.NaN;
        private long lastPrint;
        private boolean printed;

        ProgressBar(PrintStream out, boolean quiet) {
            this.out = out;
            this.quiet = quiet;
        }

        void update(TrainingProgress p) {
            if (p.endOfEpoch()) {
                lastDev = p.devAccuracy();
            }
            long now = System.nanoTime();
            if (quiet || (!p.endOfEpoch() && now - lastPrint < 200_000_000L)) {
                return;   // at most 5 redraws a second
            }
            lastPrint = now;
            out.print("\r" + line(p));
            out.flush();
            printed = true;
            if (p.endOfEpoch()) {
                out.println();   // keep one line per finished epoch
                printed = false;
            }
        }

        static String line(TrainingProgress p, double dev) {
            int filled = (int) ((long) WIDTH * p.step() / Math.max(1, p.stepsPerEpoch()));
            String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
            String devText = Double.isNaN(dev) ? "  -   " : String.format(Locale.ROOT, "%.4f", dev);
            return String.format(Locale.ROOT, "epoch %d/%d [%s] step %d/%d loss %.4f dev %s %5.0f rec/s ETA %s%s",
                    p.epoch(), p.epochs(), bar, p.step(), p.stepsPerEpoch(), p.loss(), devText,
                    p.recordsPerSecond(), duration(p.etaMillis()), p.best() ? " *" : "  ");
        }

        private String line(TrainingProgress p) {
            return line(p, lastDev);
        }

        static String duration(long millis) {
            long s = Math.max(0, millis / 1000);
            return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                    : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }

        void finish() {
            if (printed) {
                out.println();
                out.flush();
                printed = false;
            }
        }
    }
}
