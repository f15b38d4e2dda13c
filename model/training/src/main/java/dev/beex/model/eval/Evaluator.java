package dev.beex.model.eval;

import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.data.LabeledText;
import dev.beex.model.engine.InferenceEngine;
import dev.beex.model.exit.Entropy;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.exit.ExitSweep;
import dev.beex.model.text.LexicalFeatures;
import dev.beex.model.text.Tokenizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scores a model on labeled data. Every record runs once at full depth through the bit-packed
 * engine ({@link InferenceEngine#allExits}); the exit rule and the whole threshold sweep are then
 * replayed on those outputs by {@link ExitRule#exitBlock} / {@link ExitSweep}, which is exactly the
 * decision the engine makes while stopping early (the rule only looks at exits 0..b).
 */
public final class Evaluator {
    private final int threads;

    public Evaluator() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public Evaluator(int threads) {
        this.threads = Math.max(1, threads);
    }

    /**
     * Full-depth exit outputs of a data set: per record r and block b the normalized entropy and
     * argmax label of exit b, the gold label index, the token count and the number of lexical
     * features (0 for the paper network; FLOPs of the lexical path depend on it).
     */
    public record ExitOutputs(float[][] entropies, int[][] labels, int[] gold, int[] tokens, int[] lexFeatures) {
        /** Outputs of a model without the lexical path. */
        public ExitOutputs(float[][] entropies, int[][] labels, int[] gold, int[] tokens) {
            this(entropies, labels, gold, tokens, new int[gold.length]);
        }

        public int records() {
            return gold.length;
        }

        public int blocks() {
            return entropies.length == 0 ? 0 : entropies[0].length;
        }
    }

    /** Evaluates with the model's own exit rule. */
    public EvalReport evaluate(ModelArtifact model, List<LabeledText> data) {
        return evaluate(model, data, model.exitRule());
    }

    public EvalReport evaluate(ModelArtifact model, List<LabeledText> data, ExitRule rule) {
        ExitOutputs outputs = collect(model, data);
        return report(outputs, rule, new FlopCounter(model.config()), model.labels(),
                model.artifactBytes(), model.float32Bytes());
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
        int blocks = model.config().exits(), numLabels = labels.size();
        float[][] entropies = new float[n][blocks];
        int[][] predicted = new int[n][blocks];
        int[] tokens = new int[n];
        int[] lexFeatures = new int[n];
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            InferenceEngine engine = model.newEngine(ExitRule.FULL_DEPTH);
            Tokenizer.Encoder encoder = model.tokenizer().newEncoder();
            int[] ids = new int[model.config().maxTokens()];
            LexicalFeatures features = model.config().lexical() ? new LexicalFeatures(model.config().lexBuckets()) : null;
            for (int r = next.getAndIncrement(); r < n; r = next.getAndIncrement()) {
                int len = encoder.encode(data.get(r).text(), ids);
                float[][] exits = engine.allExits(data.get(r).text(), ids, len);
                tokens[r] = len;
                lexFeatures[r] = features == null ? 0 : features.extract(data.get(r).text());
                for (int b = 0; b < blocks; b++) {
                    entropies[r][b] = Entropy.normalized(exits[b], numLabels);
                    predicted[r][b] = Entropy.argmax(exits[b], numLabels);
                }
            }
        };
        runParallel(worker, Math.min(threads, Math.max(1, n / 64)));
        return new ExitOutputs(entropies, predicted, gold, tokens, lexFeatures);
    }

    private static void runParallel(Runnable worker, int threads) {
        if (threads <= 1) {
            worker.run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "beex-eval");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(worker));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("evaluation interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every metric of the report from full-depth outputs (pure: no model needed). */
    public static EvalReport report(ExitOutputs out, ExitRule rule, FlopCounter flops, List<String> labels,
                                    long modelBytes, long floatModelBytes) {
        int n = out.records(), blocks = flops.config().exits();
        if (n > 0 && out.blocks() != blocks) {
            throw new IllegalArgumentException("outputs have " + out.blocks() + " exits, the model " + blocks + " exits");
        }
        double fullFlops = 0, floatFlops = 0, tokenSum = 0;
        FlopCounter floatCounter = flops.floatBaseline();
        for (int r = 0; r < n; r++) {
            fullFlops += flops.atExit(out.tokens()[r], out.lexFeatures()[r], blocks - 1);
            floatFlops += floatCounter.atExit(out.tokens()[r], out.lexFeatures()[r], blocks - 1);
            tokenSum += out.tokens()[r];
        }

        double[] perExit = new double[blocks];
        int[] atExit = new int[n];
        for (int b = 0; b < blocks; b++) {
            for (int r = 0; r < n; r++) {
                atExit[r] = out.labels()[r][b];
            }
            perExit[b] = Metrics.accuracy(out.gold(), atExit);
        }
        int[] last = atExit; // after the loop: the last exit's labels
        double fullDepthAccuracy = Metrics.accuracy(out.gold(), last);
        double fullDepthF1 = Metrics.macroF1(out.gold(), last, labels.size());

        // The sweep: the rule's kind (entropy reduction when the rule is "none"), the chosen threshold included.
        ExitRule.Kind kind = rule.kind() == ExitRule.Kind.NONE ? ExitRule.Kind.ENTROPY_REDUCTION : rule.kind();
        float[] thresholds = withThreshold(ExitSweep.defaultThresholds(kind, blocks),
                rule.kind() == kind ? rule.threshold() : Float.NaN);
        List<ExitSweep.Row> rows = ExitSweep.sweep(kind, thresholds, out.entropies(), out.labels(), out.gold());
        List<EvalReport.SweepPoint> sweep = new ArrayList<>();
        for (ExitSweep.Row row : rows) {
            sweep.add(point(row, out, flops, labels.size(), fullFlops, row.rule().equals(rule)));
        }
        EvalReport.SweepPoint suggested = n == 0 ? null
                : sweep.get(rows.indexOf(ExitSweep.calibrate(rows, ExitSweep.DEFAULT_TOLERANCE, out.entropies(), out.labels(), out.gold())));

        ExitSweep.Row chosenRow = ExitSweep.evaluate(rule, out.entropies(), out.labels(), out.gold());
        EvalReport.SweepPoint chosen = point(chosenRow, out, flops, labels.size(), fullFlops, true);
        int[] predicted = predictions(rule, out);
        Metrics.LabelScore[] perLabel = Metrics.perLabel(out.gold(), predicted, labels.toArray(new String[0]));
        double ruleFlops = fullFlops * (1 - chosen.flopsSaved());
        return new EvalReport(n, List.copyOf(labels), rule.toString(), chosen.accuracy(), chosen.macroF1(),
                fullDepthAccuracy, fullDepthF1, perExit, blocksRun(chosenRow, flops), flops.config().blocks(), chosenRow.hardFraction(),
                chosen.flopsSaved(), n == 0 ? 0 : tokenSum / n, n == 0 ? 0 : ruleFlops / n,
                n == 0 ? 0 : fullFlops / n, n == 0 ? 0 : floatFlops / n, modelBytes, floatModelBytes,
                List.of(perLabel), sweep, suggested);
    }

    private static EvalReport.SweepPoint point(ExitSweep.Row row, ExitOutputs out, FlopCounter flops, int numLabels,
                                               double fullFlops, boolean chosen) {
        int[] predicted = predictions(row.rule(), out);
        double used = 0;
        for (int r = 0; r < out.records(); r++) {
            int exit = row.rule().exitBlock(out.entropies()[r], out.labels()[r], flops.config().exits());
            used += flops.atExit(out.tokens()[r], out.lexFeatures()[r], exit);
        }
        double saved = fullFlops == 0 ? 0 : 1 - used / fullFlops;
        // Float.toString keeps the threshold as written (0.9, not 0.8999999761581421).
        double threshold = row.rule().kind() == ExitRule.Kind.NONE ? Double.NaN
                : Double.parseDouble(Float.toString(row.rule().threshold()));
        return new EvalReport.SweepPoint(row.rule().toString(), threshold, row.accuracy(),
                Metrics.macroF1(out.gold(), predicted, numLabels), blocksRun(row, flops), row.hardFraction(), saved, chosen);
    }

    /** Mean blocks run: a sweep row counts exits taken (1-based), one more than blocks with the lexical exit 0. */
    private static double blocksRun(ExitSweep.Row row, FlopCounter flops) {
        return row.meanBlocks() - (flops.config().lexical() ? 1 : 0);
    }

    /** The label each record answers with under a rule. */
    private static int[] predictions(ExitRule rule, ExitOutputs out) {
        int[] p = new int[out.records()];
        for (int r = 0; r < p.length; r++) {
            p[r] = out.labels()[r][rule.exitBlock(out.entropies()[r], out.labels()[r], out.blocks())];
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
