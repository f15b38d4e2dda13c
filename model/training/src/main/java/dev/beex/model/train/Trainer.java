package dev.beex.model.train;

import dev.beex.model.ModelConfig;
import dev.beex.model.ModelParams;
import dev.beex.model.Tensor;
import dev.beex.model.artifact.ArtifactWriter;
import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.data.LabeledText;
import dev.beex.model.eval.Evaluator;
import dev.beex.model.eval.FlopCounter;
import dev.beex.model.eval.Metrics;
import dev.beex.model.exit.Entropy;
import dev.beex.model.exit.ExitOutputs;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.exit.ExitSweep;
import dev.beex.model.nn.Binarizer;
import dev.beex.model.nn.Initializer;
import dev.beex.model.nn.LexicalPath;
import dev.beex.model.nn.Network;
import dev.beex.model.nn.PreparedModel;
import dev.beex.model.nn.Rng;
import dev.beex.model.parallel.Tasks;
import dev.beex.model.teacher.EmbeddingInit;
import dev.beex.model.teacher.Teacher;
import dev.beex.model.teacher.TeacherCache;
import dev.beex.model.teacher.TeacherGate;
import dev.beex.model.teacher.TeacherHead;
import dev.beex.model.text.LexicalFeatures;
import dev.beex.model.text.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Binarization-aware training (BAT) of a BEExformer.
 *
 * <p>Loss per record: {@code Σ_i w_i·CE_i} over all exits (soft routing). Optimizer: Adam with
 * a linear warmup then cosine decay to 0, global gradient-norm clipping, latent binarized
 * weights clipped to [-1, 1]. Each mini-batch is split into {@code threads} contiguous chunks;
 * every worker accumulates its chunk's gradient in its own buffer in record order, and the
 * buffers are summed in worker order, so a run is bit-for-bit reproducible for a given seed
 * and thread count. Dropout masks come from a generator per (seed, epoch, record), not per thread.
 *
 * <p>After every epoch the dev split is scored at full depth; the epoch with the best
 * last-exit dev accuracy is kept. Then the exit rule (kind, threshold, confidence floor) is
 * calibrated on dev for the review budget ({@link ExitSweep#calibrate}) on the model as stored.
 */
public final class Trainer {
    private final Teacher teacher;
    private final Consumer<String> log;
    private final WarmStart warmStart;

    public Trainer() {
        this(null, m -> { }, null);
    }

    private Trainer(Teacher teacher, Consumer<String> log, WarmStart warmStart) {
        this.teacher = teacher;
        this.log = log;
        this.warmStart = warmStart;
    }

    /**
     * A trainer that uses pretrained knowledge from {@code teacher} (embedding initialization
     * and/or distillation, see {@link Teacher}); {@code log} receives one line per thing done.
     */
    public Trainer withTeacher(Teacher teacher, Consumer<String> log) {
        return new Trainer(teacher, log, warmStart);
    }

    /** A trainer that reports what it does beyond the progress bar (one line per thing done) to {@code log}. */
    public Trainer withLog(Consumer<String> log) {
        return new Trainer(teacher, log, warmStart);
    }

    /**
     * A trainer that continues from {@code from} instead of a fresh initialization: its tokenizer,
     * labels and shape are kept (the options must describe the same shape, see
     * {@link TrainOptions#withShapeOf}), every parameter is trained (no lexical pre-training), and
     * the model as it came in competes with every epoch on dev, so a round never returns a model
     * less accurate on dev than the one it started from.
     */
    public Trainer withWarmStart(WarmStart from) {
        return new Trainer(teacher, log, from);
    }

    /** Token ids, lexical feature rows (null for the paper network) and gold label indices of a split. */
    private record Encoded(int[][] ids, int[][] lex, int[] gold) {
    }

    static final class Worker {
        final Network network;
        final ModelParams grad;
        final List<Tensor> gradTensors;
        double loss;
        /** The training sequence after token dropout (sized once: maxTokens). */
        final int[] kept;
        /** Index of the lexical table in the tensors (-1: none); it is zeroed sparsely, not here. */
        final int lexIndex;

        Worker(PreparedModel model) {
            this.network = new Network(model);
            this.kept = new int[model.params.config.maxTokens()];
            this.grad = new ModelParams(model.params.config);
            this.gradTensors = grad.tensors();
            this.lexIndex = grad.lexTableTensorIndex();
        }

        LexicalPath lexicalPath() {
            return network.lexicalPath();
        }

        float[] lexGrad() {
            return grad.lexTable;
        }

        void zeroGrad() {
            for (int i = 0; i < gradTensors.size(); i++) {
                if (i != lexIndex) {
                    Arrays.fill(gradTensors.get(i).data(), 0f);
                }
            }
        }
    }

    public TrainedModel train(List<LabeledText> train, List<LabeledText> dev, TrainOptions o, TrainingListener listener) {
        long start = System.nanoTime();
        if (train.isEmpty()) {
            throw new IllegalArgumentException("the training split is empty");
        }
        if (dev.isEmpty()) {
            throw new IllegalArgumentException("the dev split is empty (needed to select the epoch and calibrate δ)");
        }
        List<String> labels;
        Tokenizer tokenizer;
        String unknownLabel;
        if (warmStart == null) {
            labels = List.copyOf(new TreeSet<>(train.stream().map(LabeledText::label).toList()));
            if (labels.size() < 2) {
                throw new IllegalArgumentException("the training split has " + labels.size() + " distinct label(s); need >= 2");
            }
            List<String> texts = new ArrayList<>(train.size());
            for (LabeledText t : train) {
                texts.add(t.text());
            }
            tokenizer = Tokenizer.build(texts, o.tokenizerOptions());
            unknownLabel = "does not occur in the training split";
        } else {
            labels = warmStart.labels();
            tokenizer = warmStart.tokenizer();   // same token ids: the embeddings stay meaningful
            unknownLabel = "is not one of the labels of " + warmStart.source() + " (a warm start keeps them)";
        }
        Map<String, Integer> labelIndex = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            labelIndex.put(labels.get(i), i);
        }
        LexicalOptions lexOptions = o.lexical();
        Encoded trainSet = encode(train, tokenizer, lexOptions, labelIndex, "train", unknownLabel);
        Encoded devSet = encode(dev, tokenizer, lexOptions, labelIndex, "dev", unknownLabel);

        ModelConfig config = new ModelConfig(o.dim(), o.heads(), o.blocks(), o.slfnHidden(), o.maxTokens(),
                tokenizer.vocabSize(), labels.size(), o.precision(), lexOptions.buckets(), lexOptions.dim(),
                o.binaryAttention());
        ModelParams params = new ModelParams(config);
        if (warmStart == null) {
            Initializer.init(params, o.seed());
        } else {
            requireWarmStartable(config, o);
            params.copyFrom(warmStart.params());
        }
        // A judged teacher is weighed against the pre-trained exit 0 first; when it loses, the run goes on
        // from that pre-training exactly as a run without a teacher would.
        TeacherGate.Verdict verdict = teacher != null && teacher.judged()
                ? judgeTeacher(params, trainSet, devSet, o, labels.size()) : null;
        Teacher active = verdict == null || verdict.useTeacher() ? teacher : null;
        boolean lexPretrainedAlready = verdict != null && !verdict.useTeacher();
        int pretrainEpochs = !config.lexical() ? 0 : active != null ? active.lexPretrainEpochs() : lexOptions.pretrainEpochs();
        float[][] soft = null;
        if (active != null) {
            soft = applyTeacher(active, params, tokenizer, trainSet, devSet, labels.size());
        }
        final float[][] teacherProbs = soft;
        final float lambda = active == null ? 0f : active.lambda();
        final float temperature = active == null ? 1f : active.temperature();
        ModelParams best = new ModelParams(config);
        best.copyFrom(params);
        PreparedModel model = new PreparedModel(params, Binarizer.SIGN);
        int threads = o.threads();
        Worker[] workers = workers(model, threads);
        List<Tensor> paramTensors = params.tensors();
        Adam adam = new Adam(paramTensors);
        SparseRows lexRows = config.lexical()
                ? new SparseRows(params.lexTableTensorIndex(), config.lexBuckets(), config.lexDim()) : null;
        float[] exitWeights = o.exitWeightValues();

        int n = trainSet.gold.length;
        int epochs = o.epochsFor(n);
        int stepsPerEpoch = (n + o.batchSize() - 1) / o.batchSize();
        int totalSteps = stepsPerEpoch * epochs;
        int warmupSteps = Math.max(1, Math.round(o.warmup() * totalSteps));
        double bestAccuracy = -1;
        int bestEpoch = 0;
        ExecutorService pool = Tasks.daemonPool(threads, "beex-train");
        try {
            if (warmStart != null) {
                bestAccuracy = evaluate(pool, workers, devSet, config).lastExitAccuracy();   // epoch 0: the model as it came in
                log.accept(String.format(java.util.Locale.ROOT, "warm start from %s: dev accuracy (last exit) %.4f before training",
                        warmStart.source(), bestAccuracy));
            }
            boolean freezeLex = pretrainEpochs > 0;
            if (freezeLex) {
                if (!lexPretrainedAlready) {
                    pretrainLexical(pool, pretrainEpochs, params, model, workers, lexRows, trainSet, devSet, o,
                            teacherProbs, lambda, temperature);
                }
                startBlockExitsAtExitZero(params);
                best.copyFrom(params);
            }
            for (Worker w : workers) {
                w.network.freezeLexical(freezeLex);
            }
            int updated = freezeLex ? params.lexTableTensorIndex() : paramTensors.size();
            int step = 0;
            int[] order = new int[n];
            float[] scaled = new float[exitWeights.length];
            double[] sumSq = new double[paramTensors.size() * threads];
            for (int epoch = 0; epoch < epochs; epoch++) {
                shuffle(order, new Rng(o.seed() * 31 + epoch + 1));
                double epochLoss = 0;
                int seen = 0;
                for (int s = 0; s < stepsPerEpoch; s++) {
                    int from = s * o.batchSize(), to = Math.min(n, from + o.batchSize());
                    int batch = to - from;
                    for (int i = 0; i < scaled.length; i++) {
                        scaled[i] = exitWeights[i] / batch;
                    }
                    final int epochF = epoch;
                    List<Callable<Void>> tasks = new ArrayList<>(threads);
                    for (int t = 0; t < threads; t++) {
                        Worker w = workers[t];
                        int a = from + batch * t / threads, b = from + batch * (t + 1) / threads;
                        tasks.add(() -> {
                            w.zeroGrad();
                            w.loss = 0;
                            for (int i = a; i < b; i++) {
                                int r = order[i];
                                int[] ids = trainSet.ids[r];
                                Rng rng = Rng.of(o.seed(), epochF, r);
                                int len = ids.length;
                                if (o.tokenDropout() > 0f) {
                                    len = dropTokens(ids, o.tokenDropout(), rng, w.kept);
                                    ids = w.kept;
                                }
                                int[] lex = trainSet.lex == null ? null : trainSet.lex[r];
                                w.loss += w.network.forward(ids, len, lex, lex == null ? 0 : lex.length,
                                        trainSet.gold[r], exitWeights, o.dropout(), rng,
                                        teacherProbs == null ? null : teacherProbs[r], lambda, temperature);
                                w.network.backward(trainSet.gold[r], scaled, w.grad);
                            }
                            w.network.finishGradients(w.grad);
                            return null;
                        });
                    }
                    runAll(pool, tasks);
                    for (Worker w : workers) {
                        epochLoss += w.loss;
                    }
                    seen += batch;
                    step++;
                    if (lexRows != null && !freezeLex) {
                        lexRows.collect(workers);
                    }
                    applyUpdate(pool, workers, adam, 0, updated, sumSq, step,
                            learningRate(o, step, warmupSteps, totalSteps), lexOptions.lrScale(), o, lexRows);
                    model.refresh();
                    long elapsed = (System.nanoTime() - start) / 1_000_000;
                    long eta = step >= totalSteps ? 0 : (long) ((double) elapsed / step * (totalSteps - step));
                    listener.onProgress(new TrainingProgress(epoch + 1, epochs, s + 1, stepsPerEpoch,
                            epochLoss / seen, Double.NaN, false, false, elapsed, eta,
                            (double) step * o.batchSize() / Math.max(1e-3, elapsed / 1000.0)));
                }
                FullDepth eval = evaluate(pool, workers, devSet, config);
                double accuracy = eval.lastExitAccuracy();
                boolean improved = accuracy > bestAccuracy;
                if (improved) {
                    bestAccuracy = accuracy;
                    bestEpoch = epoch + 1;
                    best.copyFrom(params);
                }
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                long eta = (long) ((double) elapsed / step * (totalSteps - step));
                listener.onProgress(new TrainingProgress(epoch + 1, epochs, stepsPerEpoch, stepsPerEpoch,
                        epochLoss / Math.max(1, seen), accuracy, true, improved, elapsed, eta,
                        (double) step * o.batchSize() / Math.max(1e-3, elapsed / 1000.0)));
            }
            params.copyFrom(best);
            model.refresh();
            Calibrated c = calibrate(params, tokenizer, labels, dev, o);
            long millis = (System.nanoTime() - start) / 1_000_000;
            return new TrainedModel(params, tokenizer, labels, c.chosen.rule(), c.chosen.accuracy(), c.lastExitAccuracy,
                    c.meanBlocks, c.chosen.hardFraction(), c.chosen.flopsSaved(), bestEpoch, c.rows, millis,
                    active != null, verdict);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Lexical pre-training: {@code epochs} passes that train the lexical table and exit 0's head
     * alone (loss of exit 0 only; no token is embedded and no block runs, so a pass costs a small
     * fraction of a full one). Exit 0 is a linear model over hashed n-grams; trained jointly it
     * gets a small share of the loss and too few passes (a row seen in one sentence is touched
     * once per epoch), and its table is what every block exit reads beside its pool. Its own
     * Adam and schedule (warmup, cosine decay); the pass with the best exit-0 dev accuracy is kept.
     */
    private void pretrainLexical(ExecutorService pool, int epochs, ModelParams params, PreparedModel model,
                                 Worker[] workers, SparseRows lexRows, Encoded trainSet, Encoded devSet,
                                 TrainOptions o, float[][] teacherProbs, float lambda, float temperature) {
        List<Tensor> tensors = params.tensors();
        int first = params.lexTableTensorIndex();
        Adam adam = new Adam(tensors);
        ModelParams best = new ModelParams(params.config);
        best.copyFrom(params);
        double bestAccuracy = -1;
        int bestEpoch = 0;
        int n = trainSet.gold.length, threads = workers.length;
        int stepsPerEpoch = (n + o.batchSize() - 1) / o.batchSize();
        int totalSteps = stepsPerEpoch * epochs;
        int warmupSteps = Math.max(1, Math.round(o.warmup() * totalSteps));
        double[] sumSq = new double[tensors.size() * threads];
        int[] order = new int[n];
        int step = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            shuffle(order, new Rng(o.seed() * 31 - epoch - 1));
            double epochLoss = 0;
            for (int s = 0; s < stepsPerEpoch; s++) {
                int from = s * o.batchSize(), to = Math.min(n, from + o.batchSize());
                float weight = 1f / (to - from);
                List<Callable<Void>> tasks = new ArrayList<>(threads);
                for (int t = 0; t < threads; t++) {
                    Worker w = workers[t];
                    int a = from + (to - from) * t / threads, b = from + (to - from) * (t + 1) / threads;
                    tasks.add(() -> {
                        w.zeroGrad();
                        w.loss = 0;
                        for (int i = a; i < b; i++) {
                            int r = order[i];
                            w.loss += w.network.forwardLexical(trainSet.lex[r], trainSet.lex[r].length, trainSet.gold[r],
                                    teacherProbs == null ? null : teacherProbs[r], lambda, temperature);
                            w.network.backwardLexical(trainSet.gold[r], weight, w.grad);
                        }
                        return null;
                    });
                }
                runAll(pool, tasks);
                for (Worker w : workers) {
                    epochLoss += w.loss;
                }
                step++;
                lexRows.collect(workers);
                applyUpdate(pool, workers, adam, first, tensors.size(), sumSq, step,
                        learningRate(o, step, warmupSteps, totalSteps), o.lexical().lrScale(), o, lexRows);
            }
            model.refresh();
            double accuracy = exitZeroAccuracy(pool, workers, devSet);
            boolean improved = accuracy > bestAccuracy;
            if (improved) {
                bestAccuracy = accuracy;
                bestEpoch = epoch + 1;
                best.copyFrom(params);
            }
            log.accept(String.format(java.util.Locale.ROOT,
                    "lexical pre-training pass %d of %d: loss %.4f, exit 0 dev accuracy %.4f%s",
                    epoch + 1, epochs, epochLoss / n, accuracy, improved ? " (best so far)" : ""));
        }
        params.copyFrom(best);
        model.refresh();
        log.accept(String.format(java.util.Locale.ROOT, "lexical pre-training: kept pass %d (exit 0 dev accuracy %.4f)",
                bestEpoch, bestAccuracy));
    }

    /**
     * After lexical pre-training every block exit starts as exit 0: the lexical columns of its
     * head and its bias copy exit 0's head, its pool columns are 0. A block exit then begins as
     * accurate as the trained linear model and the blocks learn corrections to it (as a
     * zero-initialized residual branch), instead of starting from a random head.
     */
    static void startBlockExitsAtExitZero(ModelParams params) {
        dev.beex.model.LinearParams lex = params.lexHead;
        int pool = params.config.dim(), width = lex.in;
        for (dev.beex.model.LinearParams head : params.exitHeads) {
            for (int c = 0; c < head.out; c++) {
                Arrays.fill(head.weight, c * head.in, c * head.in + pool, 0f);
                System.arraycopy(lex.weight, c * width, head.weight, c * head.in + pool, width);
            }
            System.arraycopy(lex.bias, 0, head.bias, 0, head.out);
        }
    }

    /** One worker per training thread, each with its own network and gradient buffers over {@code model}. */
    private static Worker[] workers(PreparedModel model, int threads) {
        Worker[] workers = new Worker[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Worker(model);
        }
        return workers;
    }

    /** Accuracy of exit 0 alone (the lexical path) on a split. */
    private static double exitZeroAccuracy(ExecutorService pool, Worker[] workers, Encoded set) {
        return Metrics.accuracy(set.gold, exitZeroPredictions(pool, workers, set));
    }

    /** The label exit 0 alone (the lexical path) predicts for every record of a split. */
    private static int[] exitZeroPredictions(ExecutorService pool, Worker[] workers, Encoded set) {
        int n = set.gold.length;
        int[] predicted = new int[n];
        List<Callable<Void>> tasks = new ArrayList<>(workers.length);
        for (int t = 0; t < workers.length; t++) {
            Network net = workers[t].network;
            int a = n * t / workers.length, b = n * (t + 1) / workers.length;
            tasks.add(() -> {
                for (int r = a; r < b; r++) {
                    net.forwardLexical(set.lex[r], set.lex[r].length, -1, null, 0f, 1f);
                    float[] p = net.probabilities(0);
                    predicted[r] = Entropy.argmax(p, p.length);
                }
                return null;
            });
        }
        runAll(pool, tasks);
        return predicted;
    }

    /**
     * The teacher gate ({@link TeacherGate}): pre-trains the lexical path of {@code params} (as a run
     * without a teacher does, on workers of its own) and judges the teacher's head against that exit 0
     * on dev. When the teacher loses, {@code params} keep the pre-training and the run continues from
     * it; when it wins they are put back as they were, for the teacher's run.
     */
    private TeacherGate.Verdict judgeTeacher(ModelParams params, Encoded trainSet, Encoded devSet, TrainOptions o, int classes) {
        if (!params.config.lexical() || !o.lexical().pretrained()) {
            throw new IllegalArgumentException("a teacher is judged against the pre-trained lexical exit 0: it needs"
                    + " the lexical path and lexical pre-training (or use the teacher always)");
        }
        ModelParams initial = new ModelParams(params.config);
        initial.copyFrom(params);
        PreparedModel model = new PreparedModel(params, Binarizer.SIGN);
        Worker[] workers = workers(model, o.threads());
        SparseRows lexRows = new SparseRows(params.lexTableTensorIndex(), params.config.lexBuckets(), params.config.lexDim());
        int[] exitZero;
        ExecutorService pool = Tasks.daemonPool(o.threads(), "beex-train");
        try {
            pretrainLexical(pool, o.lexical().pretrainEpochs(), params, model, workers, lexRows, trainSet, devSet, o,
                    null, 0f, 1f);
            exitZero = exitZeroPredictions(pool, workers, devSet);
        } finally {
            pool.shutdownNow();
        }
        TeacherGate.Verdict verdict = TeacherGate.judge(teacherHeadPredictions(teacher, trainSet, devSet, classes),
                exitZero, devSet.gold);
        log.accept(verdict.describe(teacher.outputs().teacherId()));
        if (verdict.useTeacher()) {
            params.copyFrom(initial);
        }
        return verdict;
    }

    /** Dev predictions of a head fit on the teacher's embeddings of the training split. */
    private static int[] teacherHeadPredictions(Teacher teacher, Encoded trainSet, Encoded devSet, int classes) {
        float[][] x = requireRecords(teacher, trainSet);
        float[][] dev = teacher.devOutputs().records();
        if (dev.length != devSet.gold.length) {
            throw new IllegalArgumentException("the teacher cache has " + dev.length + " records for the dev file, the dev split "
                    + devSet.gold.length + ": it was computed for another file");
        }
        TeacherHead head = TeacherHead.fit(x, trainSet.gold, classes, TeacherHead.DEFAULT_L2, null);
        int[] predicted = new int[dev.length];
        for (int r = 0; r < dev.length; r++) {
            predicted[r] = head.predict(dev[r]);
        }
        return predicted;
    }

    /** The teacher's embeddings of the training split, refused when they are not this split's. */
    private static float[][] requireRecords(Teacher teacher, Encoded trainSet) {
        float[][] x = teacher.outputs().records();
        if (x.length != trainSet.gold.length) {
            throw new IllegalArgumentException("the teacher cache has " + x.length + " records, the training split "
                    + trainSet.gold.length + (x.length == 0 ? ": it was written with --words-only, which serves --teacher-use init only"
                    : ": it was computed for another file"));
        }
        return x;
    }

    /** {@code meanBlocks}: blocks run under the chosen rule (its exits computed less a lexical model's exit 0). */
    private record Calibrated(ExitSweep.Row chosen, List<ExitSweep.Row> rows, double lastExitAccuracy, double meanBlocks) {
    }

    /**
     * Chooses the exit rule on dev for the model AS STORED: the parameters are packed and rounded to
     * float16 exactly as the artifact will hold them ({@link ArtifactWriter#create}) and dev is
     * scored by the engine ({@link Evaluator#collect}), the very path {@code beex eval} takes, so the
     * dev figures and the rule printed here are what {@code beex eval} reports for the written file.
     */
    private static Calibrated calibrate(ModelParams params, Tokenizer tokenizer, List<String> labels,
                                        List<LabeledText> dev, TrainOptions o) {
        ModelArtifact stored = ArtifactWriter.create(params, tokenizer, labels, ExitRule.FULL_DEPTH, Map.of());
        ExitOutputs out = new Evaluator(o.threads()).collect(stored, dev);
        ExitSweep.ExitCost cost = Evaluator.flopCost(out, new FlopCounter(stored.config()));
        List<ExitSweep.Row> rows = ExitSweep.candidates(out, o.hardBudget(), cost);
        ExitSweep.Row chosen = ExitSweep.calibrate(rows, out, o.hardBudget(), o.exitTolerance());
        int last = out.exits() - 1, correct = 0;
        for (int r = 0; r < out.records(); r++) {
            correct += out.labels()[r][last] == out.gold()[r] ? 1 : 0;
        }
        int beforeBlocks = out.exits() - stored.config().blocks();
        return new Calibrated(chosen, rows, (double) correct / out.records(), chosen.meanBlocks() - beforeBlocks);
    }

    /**
     * Embedding initialization and/or the distillation targets: returns the teacher's
     * probabilities at temperature T for every training record, or null without distillation.
     */
    private float[][] applyTeacher(Teacher teacher, ModelParams params, Tokenizer tokenizer, Encoded trainSet, Encoded devSet,
                                   int classes) {
        if (teacher.init()) {
            EmbeddingInit.Report r = EmbeddingInit.apply(params, tokenizer, teacher.outputs().terms());
            log.accept(String.format(java.util.Locale.ROOT,
                    "teacher %s: %d of %d token embedding rows initialized from its term vectors (PCA to d=%d keeps %.1f%% of their variance)",
                    teacher.outputs().teacherId(), r.rowsSet(), r.vocabulary(), params.config.dim(), 100 * r.explainedVariance()));
        }
        if (teacher.outputs().records().length == 0 && !teacher.distill()) {
            return null;   // a words-only cache: initialization only
        }
        float[][] x = requireRecords(teacher, trainSet);
        TeacherCache.Outputs dev = teacher.devOutputs();
        if (!teacher.judged() && dev != null && dev.records().length == devSet.gold.length) {
            log.accept(String.format(java.util.Locale.ROOT, "teacher %s: its head alone (fit on the training split) reaches dev accuracy %.4f",
                    teacher.outputs().teacherId(), Metrics.accuracy(devSet.gold, teacherHeadPredictions(teacher, trainSet, devSet, classes))));
        }
        if (!teacher.distill()) {
            return null;
        }
        float[][] logits = TeacherHead.crossFittedLogits(x, trainSet.gold, classes, TeacherHead.DEFAULT_L2, Teacher.FOLDS);
        float[][] probs = new float[x.length][classes];
        int correct = 0;
        for (int r = 0; r < x.length; r++) {
            TeacherHead.softmax(logits[r], teacher.temperature(), probs[r]);
            if (Entropy.argmax(probs[r], classes) == trainSet.gold[r]) {
                correct++;
            }
        }
        log.accept(String.format(java.util.Locale.ROOT,
                "teacher %s: head on its sentence embeddings, %d-fold cross-fitted accuracy on the training split %.4f; distillation λ=%.2f T=%.1f",
                teacher.outputs().teacherId(), Teacher.FOLDS, (double) correct / x.length, teacher.lambda(), teacher.temperature()));
        return probs;
    }

    /**
     * Word dropout: copies the tokens of {@code ids} that survive (each is left out with
     * probability {@code rate}) in order into {@code kept} and returns how many; a sequence that
     * would come out empty keeps one of its tokens. Positions close up, as if the words were absent.
     */
    static int dropTokens(int[] ids, float rate, Rng rng, int[] kept) {
        int m = 0;
        for (int id : ids) {
            if (rng.nextFloat() >= rate) {
                kept[m++] = id;
            }
        }
        if (m == 0) {
            kept[m++] = ids[rng.nextInt(ids.length)];
        }
        return m;
    }

    /** Warmup from lr/warmupSteps to lr, then cosine decay to 0 at the last step. */
    static float learningRate(TrainOptions o, int step, int warmupSteps, int totalSteps) {
        if (step <= warmupSteps) {
            return o.learningRate() * step / warmupSteps;
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return (float) (o.learningRate() * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }

    /**
     * Sums the workers' gradients into worker 0's (in worker order), clips the global norm and
     * applies Adam. Each thread owns the same slice [t/T, (t+1)/T) of every tensor, so sums and
     * updates do not depend on scheduling.
     */
    private static void applyUpdate(ExecutorService pool, Worker[] workers, Adam adam, int first, int tensors, double[] sumSq,
                                    int step, float lr, float lexLrScale, TrainOptions o, SparseRows sparse) {
        int threads = workers.length;
        List<Callable<Void>> reduce = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            final int part = t;
            reduce.add(() -> {
                for (int i = first; i < tensors; i++) {
                    if (sparse != null && i == sparse.tensor) {
                        sumSq[i * threads + part] = sparse.reduce(workers, part, threads);
                        continue;
                    }
                    float[] g0 = workers[0].gradTensors.get(i).data();
                    int a = (int) ((long) g0.length * part / threads), b = (int) ((long) g0.length * (part + 1) / threads);
                    for (int w = 1; w < threads; w++) {
                        float[] gw = workers[w].gradTensors.get(i).data();
                        for (int k = a; k < b; k++) {
                            g0[k] += gw[k];
                        }
                    }
                    double s = 0;
                    for (int k = a; k < b; k++) {
                        s += (double) g0[k] * g0[k];
                    }
                    sumSq[i * threads + part] = s;
                }
                return null;
            });
        }
        runAll(pool, reduce);
        double norm2 = 0;
        for (double s : sumSq) {
            norm2 += s;
        }
        double norm = Math.sqrt(norm2);
        float scale = o.gradClip() > 0 && norm > o.gradClip() ? (float) (o.gradClip() / norm) : 1f;
        List<Callable<Void>> update = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            final int part = t;
            update.add(() -> {
                for (int i = first; i < tensors; i++) {
                    float[] g0 = workers[0].gradTensors.get(i).data();
                    if (sparse != null && i == sparse.tensor) {
                        sparse.update(adam, workers, part, threads, step, lr * lexLrScale, o.weightDecay(), scale);
                        continue;
                    }
                    int a = (int) ((long) g0.length * part / threads), b = (int) ((long) g0.length * (part + 1) / threads);
                    adam.update(i, g0, a, b, step, lr, o.weightDecay(), scale);
                }
                return null;
            });
        }
        runAll(pool, update);
    }

    /** Full-depth outputs of every exit on a split. */
    private record FullDepth(float[][] entropies, int[][] labels, int[] gold) {
        double lastExitAccuracy() {
            int correct = 0, last = labels.length == 0 ? 0 : labels[0].length - 1;
            for (int r = 0; r < gold.length; r++) {
                if (labels[r][last] == gold[r]) {
                    correct++;
                }
            }
            return gold.length == 0 ? 0 : (double) correct / gold.length;
        }
    }

    private static FullDepth evaluate(ExecutorService pool, Worker[] workers, Encoded set, ModelConfig config) {
        int n = set.gold.length, blocks = config.exits(), classes = config.numLabels();
        float[][] entropies = new float[n][blocks];
        int[][] labels = new int[n][blocks];
        List<Callable<Void>> tasks = new ArrayList<>(workers.length);
        for (int t = 0; t < workers.length; t++) {
            Network net = workers[t].network;
            int a = n * t / workers.length, b = n * (t + 1) / workers.length;
            tasks.add(() -> {
                for (int r = a; r < b; r++) {
                    int[] lex = set.lex == null ? null : set.lex[r];
                    net.forward(set.ids[r], set.ids[r].length, lex, lex == null ? 0 : lex.length, -1, null, 0f, null);
                    for (int blk = 0; blk < blocks; blk++) {
                        float[] p = net.probabilities(blk);
                        entropies[r][blk] = Entropy.normalized(p, classes);
                        labels[r][blk] = Entropy.argmax(p, classes);
                    }
                }
                return null;
            });
        }
        runAll(pool, tasks);
        return new FullDepth(entropies, labels, set.gold);
    }

    /** A warm start keeps the model's shape and what it learned: options that would change or overwrite either are refused. */
    private void requireWarmStartable(ModelConfig config, TrainOptions o) {
        if (!config.equals(warmStart.config())) {
            throw new IllegalArgumentException("the options describe a " + config + " but " + warmStart.source()
                    + " is a " + warmStart.config() + " (a warm start keeps the model's shape)");
        }
        if (o.lexical().pretrained()) {
            throw new IllegalArgumentException("lexical pre-training with a warm start would restart the block exits"
                    + " from exit 0; the lexical path of " + warmStart.source() + " is already trained");
        }
        if (teacher != null) {
            throw new IllegalArgumentException("a teacher with a warm start is not supported (its initialization would"
                    + " overwrite the trained embeddings)");
        }
    }

    private static Encoded encode(List<LabeledText> data, Tokenizer tokenizer, LexicalOptions lexical,
                                  Map<String, Integer> labelIndex, String split, String unknownLabel) {
        int[][] ids = new int[data.size()][];
        LexicalFeatures features = lexical.enabled() ? new LexicalFeatures(lexical.buckets()) : null;
        int[][] lex = features == null ? null : new int[data.size()][];
        int[] gold = new int[data.size()];
        int[] buf = new int[tokenizer.maxTokens()];
        for (int i = 0; i < data.size(); i++) {
            LabeledText t = data.get(i);
            Integer label = labelIndex.get(t.label());
            if (label == null) {
                throw new IllegalArgumentException(split + " record " + (t.id() == null ? "#" + (i + 1) : "'" + t.id() + "'")
                        + ": label '" + t.label() + "' " + unknownLabel + " " + labelIndex.keySet());
            }
            int len = tokenizer.encode(t.text(), buf);
            ids[i] = Arrays.copyOf(buf, len);
            gold[i] = label;
            if (features != null) {
                lex[i] = Arrays.copyOf(features.features(), features.extract(t.text()));
            }
        }
        return new Encoded(ids, lex, gold);
    }

    private static void shuffle(int[] order, Rng rng) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    private static void runAll(ExecutorService pool, List<Callable<Void>> tasks) {
        Tasks.runAll(pool, tasks, "training");
    }
}
