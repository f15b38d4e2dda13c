package dev.beex.model.eval;

import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.data.LabeledText;
import dev.beex.model.engine.InferenceEngine;
import dev.beex.model.exit.ExitOutputs;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.exit.ExitSweep;
import dev.beex.model.parallel.Tasks;
import dev.beex.model.text.LexicalFeatures;
import dev.beex.model.text.Tokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scores a model on labeled data. Every record runs once at full depth through the bit-packed
 * engine ({@link InferenceEngine#allExits}); the exit rule, the threshold sweep and the
 * calibration are then replayed on those outputs ({@link ExitOutputs}, {@link ExitSweep}), which is
 * exactly the decision the engine makes while stopping early (the rule only looks at exits 0..e).
 * {@code beex train} calibrates with this same code on the stored model, so its dev figures are
 * what {@code beex eval} reports on the dev split.
 */
public final class Evaluator {
    private final int threads;

    public Evaluator() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public Evaluator(int threads) {
        this.threads = Math.max(1, threads);
    }

    /** Evaluates with the model's own exit rule. */
    public EvalReport evaluate(ModelArtifact model, List<LabeledText> data) {
        return evaluate(model, data, model.exitRule());
    }

    public EvalReport evaluate(ModelArtifact model, List<LabeledText> data, ExitRule rule) {
        return evaluate(model, data, rule, ExitSweep.DEFAULT_HARD_BUDGET);
    }

    /** With the review budget that the suggested (calibrated) rule is chosen for. */
    public EvalReport evaluate(ModelArtifact model, List<LabeledText> data, ExitRule rule, double hardBudget) {
        ExitOutputs outputs = collect(model, data);
        return report(outputs, rule, new FlopCounter(model.config()), model.labels(),
                model.artifactBytes(), model.float32Bytes(), hardBudget);
    }

    /** Runs every record at full depth (in parallel, one engine per thread). */
    public ExitOutputs collect(ModelArtifact model, List<LabeledText> data) {
        List<String> labels = model.labels();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            index.put(labels.get(i), i);
        }
        int n = data.size();
        int[] gold = new int[n];
        for (int r = 0; r < n; r++) {
            Integer g = index.get(data.get(r).label());
            if (g == null) {
                throw new IllegalArgumentException("record " + data.get(r).id() + ": label '" + data.get(r).label()
                        + "' is not one of the model's labels " + labels);
            }
            gold[r] = g;
        }
        int numLabels = labels.size();
        if (n == 0) {
            return ExitOutputs.allocate(0, 0);
        }
        // E, the number of exits, is what the engine's probability rows say (the first record's).
        int[] firstIds = new int[model.config().maxTokens()];
        int firstLen = model.tokenizer().newEncoder().encode(data.get(0).text(), firstIds);
        String firstText = data.get(0).text();
        float[][] first = model.newEngine(ExitRule.FULL_DEPTH).allExits(firstText, firstIds, firstLen);
        ExitOutputs out = ExitOutputs.allocate(n, first.length);
        out.set(0, first, numLabels, gold[0], firstLen, model.config().lexical()
                ? new LexicalFeatures(model.config().lexBuckets()).extract(firstText) : 0);
        AtomicInteger next = new AtomicInteger(1);
        Runnable worker = () -> {
            InferenceEngine engine = model.newEngine(ExitRule.FULL_DEPTH);
            Tokenizer.Encoder encoder = model.tokenizer().newEncoder();
            int[] ids = new int[model.config().maxTokens()];
            LexicalFeatures features = model.config().lexical() ? new LexicalFeatures(model.config().lexBuckets()) : null;
            for (int r = next.getAndIncrement(); r < n; r = next.getAndIncrement()) {
                int len = encoder.encode(data.get(r).text(), ids);
                out.set(r, engine.allExits(data.get(r).text(), ids, len), numLabels, gold[r], len,
                        features == null ? 0 : features.extract(data.get(r).text()));
            }
        };
        runParallel(worker, Math.min(threads, Math.max(1, n / 64)));
        return out;
    }

    private static void runParallel(Runnable worker, int threads) {
        if (threads <= 1) {
            worker.run();
            return;
        }
        ExecutorService pool = Tasks.daemonPool(threads, "beex-eval");
        try {
            Tasks.runAll(pool, Collections.nCopies(threads, Executors.callable(worker)), "evaluation");
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@link #report(ExitOutputs, ExitRule, FlopCounter, List, long, long, double)} with the default review budget. */
    public static EvalReport report(ExitOutputs out, ExitRule rule, FlopCounter flops, List<String> labels,
                                    long modelBytes, long floatModelBytes) {
        return report(out, rule, flops, labels, modelBytes, floatModelBytes, ExitSweep.DEFAULT_HARD_BUDGET);
    }

    /**
     * The cost of leaving after exit e in FLOPs. Exits past the first {@code E − blocks} follow
     * blocks 1..blocks, so exit e has run e + 1 − (E − blocks) blocks: e + 1 with E == blocks (one
     * exit after every block), e with a lexical model's exit 0 (E = blocks + 1), whose every record
     * also pays the lexical path ({@link FlopCounter#record(int, int, int)}, by its feature count).
     */
    public static ExitSweep.ExitCost flopCost(ExitOutputs out, FlopCounter flops) {
        int beforeBlocks = out.exits() - flops.config().blocks();
        return (r, e) -> flops.record(out.tokens()[r], e + 1 - beforeBlocks, out.lexFeatures()[r]);
    }

    /**
     * Every metric of the report from full-depth outputs (pure: no model needed). {@code hardBudget}
     * is the review budget the suggested rule is calibrated for (as {@code beex train} does on dev).
     */
    public static EvalReport report(ExitOutputs out, ExitRule rule, FlopCounter flops, List<String> labels,
                                    long modelBytes, long floatModelBytes, double hardBudget) {
        int n = out.records(), blocks = flops.config().blocks();
        int exits = n == 0 ? blocks : out.exits();
        if (exits < blocks) {
            throw new IllegalArgumentException("outputs have " + exits + " exits, the model " + blocks + " blocks");
        }
        int beforeBlocks = exits - blocks;
        ExitSweep.ExitCost cost = flopCost(out, flops);
        double fullFlops = 0, floatFlops = 0, tokenSum = 0;
        FlopCounter floatCounter = flops.floatBaseline();
        for (int r = 0; r < n; r++) {
            fullFlops += flops.fullDepth(out.tokens()[r], out.lexFeatures()[r]);
            floatFlops += floatCounter.fullDepth(out.tokens()[r], out.lexFeatures()[r]);
            tokenSum += out.tokens()[r];
        }

        // Every exit's accuracy, and fixed truncation after k blocks (k = 1..blocks) with its FLOPs saved.
        double[] perExit = new double[exits];
        int[] atExit = new int[n];
        for (int e = 0; e < exits; e++) {
            for (int r = 0; r < n; r++) {
                atExit[r] = out.labels()[r][e];
            }
            perExit[e] = Metrics.accuracy(out.gold(), atExit);
        }
        int[] last = atExit; // after the loop: the last exit's labels
        double fullDepthAccuracy = Metrics.accuracy(out.gold(), last);
        double fullDepthF1 = Metrics.macroF1(out.gold(), last, labels.size());
        double[] fixedDepth = new double[blocks], fixedDepthSaved = new double[blocks];
        for (int k = 1; k <= blocks; k++) {
            int e = beforeBlocks + k - 1;
            fixedDepth[k - 1] = n == 0 ? 0 : perExit[e];
            double used = 0;
            for (int r = 0; r < n; r++) {
                used += cost.cost(r, e);
            }
            fixedDepthSaved[k - 1] = fullFlops == 0 ? 0 : 1 - used / fullFlops;
        }

        // The sweep: the rule's kind with the rule's floor (entropy reduction without a floor for "none").
        ExitRule.Kind kind = rule.kind() == ExitRule.Kind.NONE ? ExitRule.Kind.ENTROPY_REDUCTION : rule.kind();
        float[] thresholds = withThreshold(ExitSweep.defaultThresholds(kind, exits),
                rule.kind() == kind ? rule.threshold() : Float.NaN);
        List<ExitSweep.Row> rows = ExitSweep.sweep(kind, thresholds, rule.floor(), out, cost);
        List<EvalReport.SweepPoint> sweep = new ArrayList<>();
        for (ExitSweep.Row row : rows) {
            sweep.add(point(row, out, labels.size(), beforeBlocks, row.rule().equals(rule)));
        }
        EvalReport.SweepPoint suggested = null;
        if (n > 0) {
            List<ExitSweep.Row> candidates = ExitSweep.candidates(out, hardBudget, cost);
            ExitSweep.Row pick = ExitSweep.calibrate(candidates, out, hardBudget, ExitSweep.DEFAULT_TOLERANCE);
            suggested = point(pick, out, labels.size(), beforeBlocks, pick.rule().equals(rule));
        }

        ExitSweep.Row chosenRow = ExitSweep.evaluate(rule, out, cost);
        EvalReport.SweepPoint chosen = point(chosenRow, out, labels.size(), beforeBlocks, true);
        int[] predicted = predictions(rule, out);
        Metrics.LabelScore[] perLabel = Metrics.perLabel(out.gold(), predicted, labels.toArray(new String[0]));
        double ruleFlops = fullFlops * (1 - chosen.flopsSaved());

        // Where records leave; how often the hard ones (unsure at the last exit) and the rest are
        // wrong is the sweep row's (NaN here where a group is empty).
        long[] histogram = new long[exits];
        for (int r = 0; r < n; r++) {
            histogram[Math.min(out.firstFiring(rule, r), exits - 1)]++;
        }
        double hardErrorRate = chosenRow.hardFraction() == 0 ? Double.NaN : chosenRow.hardErrorRate();
        double easyErrorRate = n == 0 || chosenRow.hardFraction() == 1 ? Double.NaN : chosenRow.easyErrorRate();

        return new EvalReport(n, List.copyOf(labels), rule.toString(), chosen.accuracy(), chosen.macroF1(),
                fullDepthAccuracy, fullDepthF1, perExit, chosenRow.meanBlocks() - beforeBlocks, blocks, chosenRow.hardFraction(),
                chosen.flopsSaved(), n == 0 ? 0 : tokenSum / n, n == 0 ? 0 : ruleFlops / n,
                n == 0 ? 0 : fullFlops / n, n == 0 ? 0 : floatFlops / n, modelBytes, floatModelBytes,
                List.of(perLabel), sweep, suggested, histogram, fixedDepth, fixedDepthSaved, hardErrorRate,
                easyErrorRate, hardBudget);
    }

    /** A sweep row as reported; its mean exits computed minus the exits before block 1 is the mean blocks run. */
    private static EvalReport.SweepPoint point(ExitSweep.Row row, ExitOutputs out, int numLabels, int beforeBlocks,
                                               boolean chosen) {
        int[] predicted = predictions(row.rule(), out);
        // Float.toString keeps the threshold as written (0.9, not 0.8999999761581421).
        double threshold = row.rule().kind() == ExitRule.Kind.NONE ? Double.NaN
                : Double.parseDouble(Float.toString(row.rule().threshold()));
        double floor = Double.parseDouble(Float.toString(row.rule().floor()));
        return new EvalReport.SweepPoint(row.rule().toString(), threshold, floor, row.accuracy(),
                Metrics.macroF1(out.gold(), predicted, numLabels), row.meanBlocks() - beforeBlocks, row.hardFraction(),
                row.flopsSaved(), row.fixedDepth(), chosen);
    }

    /** The label each record answers with under a rule. */
    private static int[] predictions(ExitRule rule, ExitOutputs out) {
        int[] p = new int[out.records()];
        for (int r = 0; r < p.length; r++) {
            p[r] = out.answer(rule, r);
        }
        return p;
    }

    private static float[] withThreshold(float[] thresholds, float t) {
        if (Float.isNaN(t)) {
            return thresholds;
        }
        for (float x : thresholds) {
            if (x == t) {
                return thresholds;
            }
        }
        float[] out = new float[thresholds.length + 1];
        int j = 0;
        boolean placed = false;
        for (float x : thresholds) {
            if (!placed && t < x) {
                out[j++] = t;
                placed = true;
            }
            out[j++] = x;
        }
        if (!placed) {
            out[j] = t;
        }
        return out;
    }
}
