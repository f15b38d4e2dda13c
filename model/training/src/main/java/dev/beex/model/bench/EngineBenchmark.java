package dev.beex.model.bench;

import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.engine.EngineModel;
import dev.beex.model.engine.InferenceEngine;
import dev.beex.model.engine.ScoreResult;
import dev.beex.model.exit.ExitOutputs;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.nn.ReferenceForward;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Throughput and latency of one model on a list of texts, one thread, batch 1, in one process:
 * <ol>
 *   <li>{@code binary}: the bit-packed engine with the model's exit rule;</li>
 *   <li>{@code fullDepth}: the same engine running every block;</li>
 *   <li>{@code float}: the same network with its decoded ±α weights in dense float kernels
 *       ({@link EngineModel#floatBaseline}), every block — the float path it replaces.</li>
 * </ol>
 * Each text is tokenized and scored ({@link InferenceEngine#score(String, ScoreResult)}); the
 * three are warmed up, then measured in interleaved slices (so load changes on a shared
 * machine hit all three alike). Also counts parity mismatches: texts whose label (or exit
 * block) from the binary engine differs from the training-path forward ({@link ReferenceForward})
 * with the exit rule replayed on its outputs.
 */
public final class EngineBenchmark {
    private static final long SLICE_NANOS = 250_000_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Measurements of one engine. */
    /**
     * Measurements of one path. {@code cpuTextsPerSecond} divides by the thread's CPU time
     * instead of wall time: on a shared, overloaded machine it is the steadier of the two.
     */
    public record Run(String name, long texts, double seconds, double textsPerSecond, double cpuTextsPerSecond,
                      double p50Micros, double p99Micros, double meanBlocks) {
    }

    /** Everything {@code beex bench} prints. */
    /**
     * @param accuracy          accuracy of (a) against the gold labels (NaN without labels)
     * @param fullDepthAccuracy accuracy of the last exit (NaN without labels)
     */
    public record Result(int texts, double meanTokens, Run binary, Run fullDepth, Run floatPath,
                         int parityMismatches, int exitMismatches, ExitRule rule, double accuracy,
                         double fullDepthAccuracy) {
        public double speedupVsFloat() {
            return binary.textsPerSecond() / floatPath.textsPerSecond();
        }

        public double speedupVsFullDepth() {
            return binary.textsPerSecond() / fullDepth.textsPerSecond();
        }

        public double fullDepthSpeedupVsFloat() {
            return fullDepth.textsPerSecond() / floatPath.textsPerSecond();
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("texts", texts);
            m.put("meanTokens", meanTokens);
            m.put("exitRule", rule.toString());
            m.put("textsPerSecond", binary.textsPerSecond());
            m.put("fullDepthTextsPerSecond", fullDepth.textsPerSecond());
            m.put("floatTextsPerSecond", floatPath.textsPerSecond());
            m.put("speedupVsFloat", speedupVsFloat());
            m.put("speedupVsFullDepth", speedupVsFullDepth());
            m.put("fullDepthSpeedupVsFloat", fullDepthSpeedupVsFloat());
            m.put("p50Micros", binary.p50Micros());
            m.put("p99Micros", binary.p99Micros());
            m.put("fullDepthP50Micros", fullDepth.p50Micros());
            m.put("fullDepthP99Micros", fullDepth.p99Micros());
            m.put("floatP50Micros", floatPath.p50Micros());
            m.put("floatP99Micros", floatPath.p99Micros());
            m.put("cpuTextsPerSecond", binary.cpuTextsPerSecond());
            m.put("fullDepthCpuTextsPerSecond", fullDepth.cpuTextsPerSecond());
            m.put("floatCpuTextsPerSecond", floatPath.cpuTextsPerSecond());
            m.put("cpuSpeedupVsFloat", binary.cpuTextsPerSecond() / floatPath.cpuTextsPerSecond());
            m.put("meanBlocks", binary.meanBlocks());
            if (!Double.isNaN(accuracy)) {
                m.put("accuracy", accuracy);
                m.put("fullDepthAccuracy", fullDepthAccuracy);
            }
            m.put("parityMismatches", parityMismatches);
            m.put("exitMismatches", exitMismatches);
            return m;
        }
    }

    private EngineBenchmark() {
    }

    /**
     * @param warmupSeconds warm-up per engine before measuring
     * @param seconds       measured time per engine
     */
    public static Result run(ModelArtifact artifact, List<String> texts, double warmupSeconds, double seconds) {
        return run(artifact, artifact.exitRule(), texts, null, warmupSeconds, seconds);
    }

    /**
     * As {@link #run(ModelArtifact, List, double, double)} with another exit rule for (a) and,
     * when {@code goldLabels} is not null (one label name per text), accuracies.
     */
    public static Result run(ModelArtifact artifact, ExitRule rule, List<String> texts, List<String> goldLabels,
                             double warmupSeconds, double seconds) {
        if (goldLabels != null && goldLabels.size() != texts.size()) {
            throw new IllegalArgumentException(goldLabels.size() + " labels for " + texts.size() + " texts");
        }
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no texts to benchmark");
        }
        if (!(warmupSeconds >= 0) || !(seconds > 0)) {
            throw new IllegalArgumentException("warm-up must be >= 0 and measured seconds > 0");
        }
        InferenceEngine[] engines = {
            artifact.newEngine(rule),
            artifact.newEngine(ExitRule.FULL_DEPTH),
            new InferenceEngine(EngineModel.floatBaseline(artifact.packed()), artifact.tokenizer(), artifact.labels(),
                    ExitRule.FULL_DEPTH)
        };
        String[] paths = {"binary", "fullDepth", "float"};

        // Parity first (it also warms the binary engine up a little).
        int parity = 0, exits = 0, correct = 0, correctFull = 0;
        long tokens = 0;
        List<String> names = artifact.labels();
        ReferenceForward ref = new ReferenceForward(artifact.params());
        int blocks = artifact.config().exits(), c = artifact.config().numLabels();
        int[] ids = new int[artifact.config().maxTokens()];
        ExitOutputs one = ExitOutputs.allocate(1, blocks);
        ScoreResult r = ScoreResult.forModel(artifact.config());
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            int n = artifact.tokenizer().encode(text, ids);
            tokens += n;
            one.set(0, ref.exitProbabilities(ids, n, text), c, 0, n);
            int firing = one.firstFiring(rule, 0);
            int exit = Math.min(firing, blocks - 1);
            int[] labels = one.labels()[0];
            engines[0].score(text, r);
            if (r.labelIndex != labels[exit]) {
                parity++;
            }
            if (r.exit != exit || r.hard != (firing == blocks)) {
                exits++;
            }
            if (goldLabels != null) {
                String gold = goldLabels.get(i);
                correct += names.get(r.labelIndex).equals(gold) ? 1 : 0;
                correctFull += names.get(labels[blocks - 1]).equals(gold) ? 1 : 0;
            }
        }
        double accuracy = goldLabels == null ? Double.NaN : (double) correct / texts.size();
        double fullAccuracy = goldLabels == null ? Double.NaN : (double) correctFull / texts.size();

        Histogram[] hist = new Histogram[3];
        long[] count = new long[3], nanos = new long[3], cpuNanos = new long[3], blocksRun = new long[3];
        int[] cursor = new int[3];
        ScoreResult[] results = new ScoreResult[3];
        for (int e = 0; e < 3; e++) {
            hist[e] = new Histogram(3_600_000_000_000L, 3);
            results[e] = ScoreResult.forModel(artifact.config());
            slice(engines[e], texts, cursor, e, results[e], (long) (warmupSeconds * 1e9), null, null);
        }
        long perEngine = (long) (seconds * 1e9);
        long done = 0;
        while (done < perEngine) {
            long slice = Math.min(SLICE_NANOS, perEngine - done);
            for (int e = 0; e < 3; e++) {
                long[] stats = new long[4];
                slice(engines[e], texts, cursor, e, results[e], slice, hist[e], stats);
                count[e] += stats[0];
                nanos[e] += stats[1];
                blocksRun[e] += stats[2];
                cpuNanos[e] += stats[3];
            }
            done += slice;
        }
        Run[] runs = new Run[3];
        for (int e = 0; e < 3; e++) {
            double s = nanos[e] / 1e9;
            double cpu = cpuNanos[e] > 0 ? cpuNanos[e] / 1e9 : s;
            runs[e] = new Run(paths[e], count[e], s, count[e] / s, count[e] / cpu, hist[e].getValueAtPercentile(50) / 1e3,
                    hist[e].getValueAtPercentile(99) / 1e3, (double) blocksRun[e] / Math.max(1, count[e]));
        }
        return new Result(texts.size(), (double) tokens / texts.size(), runs[0], runs[1], runs[2], parity, exits, rule,
                accuracy, fullAccuracy);
    }

    /** Scores texts round-robin for at least {@code budget} ns; stats = {texts, wall ns, blocks, cpu ns}. */
    private static void slice(InferenceEngine engine, List<String> texts, int[] cursor, int e, ScoreResult r,
                              long budget, Histogram hist, long[] stats) {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime(), end = start + budget, now = start;
        long n = 0, blocks = 0;
        int i = cursor[e];
        do {
            String text = texts.get(i);
            long t0 = System.nanoTime();
            engine.score(text, r);
            now = System.nanoTime();
            if (hist != null) {
                hist.recordValue(now - t0);
            }
            blocks += r.exitBlock;
            n++;
            if (++i == texts.size()) {
                i = 0;
            }
        } while (now < end);
        cursor[e] = i;
        if (stats != null) {
            stats[0] = n;
            stats[1] = now - start;
            stats[2] = blocks;
            stats[3] = THREADS.getCurrentThreadCpuTime() - cpu0;
        }
    }

    /**
     * Aggregate texts/s of {@code threads} threads scoring at once, each with its own engine
     * (engines share the compiled model) and its own place in the texts: what one process
     * serves on that many cores. Tokenization included; warm-up, then {@code seconds} measured.
     */
    public static double parallelTextsPerSecond(ModelArtifact artifact, ExitRule rule, List<String> texts, int threads,
                                                double warmupSeconds, double seconds) throws InterruptedException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        long[] counts = new long[threads];
        long[] nanos = new long[threads];
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(threads);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        RuntimeException[] failures = new RuntimeException[threads];
        for (int w = 0; w < threads; w++) {
            final int id = w;
            workers[w] = new Thread(() -> {
                boolean warmed = false;
                try {
                    InferenceEngine engine = artifact.newEngine(rule);
                    ScoreResult r = ScoreResult.forModel(artifact.config());
                    int i = (int) ((long) id * texts.size() / threads);
                    long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
                    do {
                        engine.score(texts.get(i), r);
                        i = (i + 1) % texts.size();
                    } while (System.nanoTime() < warmEnd);
                    warmed = true;
                    ready.countDown();
                    go.await();
                    long start = System.nanoTime(), end = start + (long) (seconds * 1e9), now, n = 0;
                    do {
                        engine.score(texts.get(i), r);
                        i = (i + 1) % texts.size();
                        n++;
                        now = System.nanoTime();
                    } while (now < end);
                    counts[id] = n;
                    nanos[id] = now - start;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    failures[id] = e;   // reported by the caller; never leave it waiting for this thread
                } finally {
                    if (!warmed) {
                        ready.countDown();
                    }
                }
            }, "beex-bench-" + w);
            workers[w].start();
        }
        ready.await();
        go.countDown();
        double total = 0;
        for (int w = 0; w < threads; w++) {
            workers[w].join();
            if (failures[w] != null) {
                throw new IllegalStateException("scoring thread " + w + " failed: " + failures[w], failures[w]);
            }
            total += counts[w] / (nanos[w] / 1e9);
        }
        return total;
    }
}
