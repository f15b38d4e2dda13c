package dev.beex.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.data.LabeledText;
import dev.beex.model.bench.EngineBenchmark;
import dev.beex.model.engine.BitKernel;
import dev.beex.model.exit.ExitRule;
import dev.beex.pipeline.job.JobConfig;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code beex bench}: texts/s and latency of the binary engine (early exit, full depth) against the float path. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures the inference engine on the texts of a data file, one thread, batch 1, in one "
            + "process after warm-up: (a) the bit-packed engine with the exit rule, (b) the same at full depth, "
            + "(c) the same network with its ±alpha weights in dense float kernels at full depth. Prints texts/s, "
            + "p50/p99 latency per text (tokenization included), the speedups, and parity mismatches of (a) "
            + "against the training-path forward. Labels in the data file, when present, give accuracies.")
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    ModelFileOption model = new ModelFileOption();

    @Mixin
    DataFileOption data = new DataFileOption();

    @Mixin
    JsonOutputOption json = new JsonOutputOption();

    @Option(names = "--warmup-seconds", defaultValue = "5", description = "Warm-up per path (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured time per path (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--limit", description = "Use only the first N texts.")
    Integer limit;

    /** Applies to (a); (b) and (c) run at full depth. */
    @Mixin
    ExitRuleOption exitRule = new ExitRuleOption();

    @Option(names = "--threads", defaultValue = "1", description = "Also measure this many threads scoring at once (one engine each, "
        + "sharing the compiled model): aggregate texts/s with the exit rule and at full depth (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--pipeline", description = "Measure the streaming job instead: Flink MiniCluster on an in-process "
        + "Kafka broker (or the cluster of --bootstrap-servers/--config, with unique topics deleted afterwards), drain rate of pre-filled records, the bare engine on the same model and texts, per-core efficiency, "
        + "latency at half capacity, at-least-once and exactly-once.")
    boolean pipeline;

    @Option(names = "--parallelism", defaultValue = "2", description = "--pipeline: job parallelism = text partitions (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--records", defaultValue = "5000", description = "--pipeline: records pre-filled for the drain rate (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--latency-seconds", defaultValue = "10", description = "--pipeline: seconds of offered load at half capacity (default: ${DEFAULT-VALUE}).")
    double latencySeconds;

    /** --pipeline on a real cluster instead of the in-process broker. */
    @Mixin
    ConfigOptions connection = new ConfigOptions();

    @Option(names = "--checkpoint-ms", defaultValue = "1000", description = "--pipeline: checkpoint interval (default: ${DEFAULT-VALUE}).")
    long checkpointMillis;

    @Override
    public Integer call() throws Exception {
        if (pipeline) {
            return pipeline();
        }
        if (connection.given()) {
            throw new UserException("--config, --bootstrap-servers and --kafka apply to bench --pipeline only");
        }
        if (!(seconds > 0) || !(warmupSeconds >= 0)) {
            throw new UserException("--seconds must be > 0 and --warmup-seconds >= 0");
        }
        if (limit != null && limit < 1) {
            throw new UserException("--limit must be >= 1");
        }
        if (threads < 1) {
            throw new UserException("--threads must be >= 1");
        }
        ModelArtifact artifact = model.read();
        ExitRule rule = exitRule.orElse(artifact.exitRule());
        List<LabeledText> records = data.texts();
        List<LabeledText> used = records.subList(0, limit == null ? records.size() : Math.min(limit, records.size()));
        List<String> texts = used.stream().map(LabeledText::text).toList();
        // Labels are optional: accuracy is reported only when every record has one.
        boolean labeled = used.stream().allMatch(t -> t.label() != null && !t.label().isEmpty());
        List<String> gold = labeled ? used.stream().map(LabeledText::label).toList() : null;
        EngineBenchmark.Result r = EngineBenchmark.run(artifact, rule, texts, gold, warmupSeconds, seconds);
        double multi = Double.NaN, multiFull = Double.NaN;
        if (threads > 1) {
            multi = EngineBenchmark.parallelTextsPerSecond(artifact, rule, texts, threads, warmupSeconds, seconds);
            multiFull = EngineBenchmark.parallelTextsPerSecond(artifact, ExitRule.FULL_DEPTH, texts, threads,
                    warmupSeconds, seconds);
        }
        if (json.enabled()) {
            java.util.Map<String, Object> m = r.toJson();
            m.put("bitKernel", BitKernel.selected().name().toLowerCase(Locale.ROOT));
            if (threads > 1) {
                m.put("threads", threads);
                m.put("threadsTextsPerSecond", multi);
                m.put("threadsFullDepthTextsPerSecond", multiFull);
            }
            System.out.println(new ObjectMapper().writeValueAsString(m));
            return 0;
        }
        System.out.printf(Locale.ROOT, "XOR/popcount kernel: %s%n", BitKernel.describe());
        System.out.printf(Locale.ROOT, "model      %s (%s, sha256 %s...)%n", model.file, artifact.config(), artifact.sha256().substring(0, 12));
        System.out.printf(Locale.ROOT, "data       %s: %d texts, %.1f tokens per text%n", data.file, r.texts(), r.meanTokens());
        System.out.printf(Locale.ROOT, "one thread, batch 1, warm-up %.0f s, %.0f s measured per path%n", warmupSeconds, seconds);
        System.out.printf(Locale.ROOT, "%-40s %12s %14s %10s %10s %12s%n", "path", "texts/s", "texts/cpu-s", "p50 us",
                "p99 us", "mean blocks");
        for (EngineBenchmark.Run run : List.of(r.binary(), r.fullDepth(), r.floatPath())) {
            String label = switch (run.name()) {
                case "binary" -> "(a) binary, exit rule " + r.rule();
                case "fullDepth" -> "(b) binary, full depth";
                default -> "(c) float, full depth";
            };
            System.out.printf(Locale.ROOT, "%-40s %12.1f %14.1f %10.1f %10.1f %12.2f%n", label, run.textsPerSecond(),
                    run.cpuTextsPerSecond(), run.p50Micros(), run.p99Micros(), run.meanBlocks());
        }
        System.out.printf(Locale.ROOT, "speedup (a)/(c) %.2fx   (a)/(b) %.2fx   (b)/(c) %.2fx%n",
                r.speedupVsFloat(), r.speedupVsFullDepth(), r.fullDepthSpeedupVsFloat());
        System.out.printf(Locale.ROOT, "speedup in CPU time (a)/(c) %.2fx%n",
                r.binary().cpuTextsPerSecond() / r.floatPath().cpuTextsPerSecond());
        if (threads > 1) {
            System.out.printf(Locale.ROOT, "%d threads at once: %.1f texts/s with the exit rule (%.2fx one thread), %.1f at full depth (%.2fx)%n",
                    threads, multi, multi / r.binary().textsPerSecond(), multiFull, multiFull / r.fullDepth().textsPerSecond());
        }
        if (gold != null) {
            System.out.printf(Locale.ROOT, "accuracy   %.4f with the exit rule, %.4f at the last exit%n", r.accuracy(),
                    r.fullDepthAccuracy());
        }
        System.out.printf(Locale.ROOT, "parity     %d label and %d exit-block mismatches of (a) vs the training-path forward%n",
                r.parityMismatches(), r.exitMismatches());
        return 0;
    }

    private int pipeline() throws Exception {
        if (parallelism < 1 || records < 1 || !(latencySeconds > 0) || checkpointMillis < 10 || !(seconds > 0)) {
            throw new UserException("--pipeline needs --parallelism >= 1, --records >= 1, --latency-seconds > 0,"
                    + " --checkpoint-ms >= 10 and --seconds > 0");
        }
        if (connection.given() && !connection.namesCluster()) {
            throw new UserException("--kafka needs --bootstrap-servers or --config (the in-process broker takes no client"
                    + " properties)");
        }
        PrintStream log = json.enabled() ? System.err : System.out;
        Supplier<BenchBroker> broker;
        String brokerName;
        if (connection.namesCluster()) {
            JobConfig cluster = connection.resolve(Map.of());
            broker = () -> BenchBroker.external(cluster, log);
            brokerName = "the Kafka cluster at " + cluster.bootstrapServers();
        } else {
            EmbeddedBrokerCheck.require("bench --pipeline");
            broker = BenchBroker::embedded;
            brokerName = "an in-process Kafka broker";
        }
        ModelArtifact artifact = model.read();
        List<LabeledText> all = data.labeled();
        List<String> texts = all.subList(0, limit == null ? all.size() : Math.min(limit, all.size())).stream()
                .map(LabeledText::text).toList();
        PipelineBench.Result r = new PipelineBench(artifact, texts,
                new PipelineBench.Options(parallelism, records, latencySeconds, checkpointMillis, seconds), broker,
                brokerName, log).run();
        if (json.enabled()) {
            System.out.println(new ObjectMapper().writeValueAsString(r.toJson()));
            return 0;
        }
        System.out.printf(Locale.ROOT, "parallelism %d on %d cores; %d records pre-filled; Kafka: %s%n", r.parallelism(),
                Runtime.getRuntime().availableProcessors(), r.records(),
                "embedded".equals(r.broker()) ? "embedded (in-process)" : "external, " + r.bootstrapServers());
        System.out.printf(Locale.ROOT, "bare engine          %10.1f texts/s (one thread)%n", r.engineTextsPerSecond());
        System.out.printf(Locale.ROOT, "job drain rate       %10.1f records/s (at-least-once)%n", r.atLeastOnce().recordsPerSecond());
        System.out.printf(Locale.ROOT, "per-core efficiency  %10.2f (drain / (engine x parallelism))%n", r.perCoreEfficiency());
        for (PipelineBench.Run run : List.of(r.atLeastOnce(), r.exactlyOnce())) {
            System.out.printf(Locale.ROOT, "%-15s drain %.1f records/s; at %.1f records/s offered: p50 %.0f ms, p99 %.0f ms%n",
                    run.delivery().cliName(), run.recordsPerSecond(), run.offeredPerSecond(), run.p50Millis(), run.p99Millis());
        }
        System.out.printf(Locale.ROOT, "exactly-once latency is visibility under read_committed: the checkpoint interval (%d ms) bounds it%n",
                r.checkpointMillis());
        return 0;
    }
}
