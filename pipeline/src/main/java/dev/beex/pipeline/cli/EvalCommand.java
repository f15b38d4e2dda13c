package dev.beex.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.data.LabeledText;
import dev.beex.model.eval.EvalPlot;
import dev.beex.model.eval.EvalReport;
import dev.beex.model.eval.Evaluator;
import dev.beex.model.eval.FlopCounter;
import dev.beex.model.exit.ExitOutputs;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.exit.ExitSweep;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code beex eval}: accuracy, macro-F1, per-exit accuracy, the δ sweep, FLOPs saved and model size. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluates a model artifact on labeled data (.jsonl, .csv, .tsv, optionally .gz): "
            + "accuracy and macro-F1 with the exit rule and at full depth, every exit's accuracy, the "
            + "exit-threshold sweep, mean blocks run, FLOPs saved, the exit histogram, fixed truncation at every "
            + "depth, hard examples and their error rate, the rule calibration would choose, and model size.")
public final class EvalCommand implements Callable<Integer> {
    @Mixin
    ModelFileOption model = new ModelFileOption();

    @Mixin
    DataFileOption data = new DataFileOption();

    @Mixin
    ExitRuleOption exitRule = new ExitRuleOption();

    @Option(names = "--hard-budget", paramLabel = "F", description = "Review budget of the suggested (recalibrated) rule. Default: the one the model was trained with, else "
            + ExitSweep.DEFAULT_HARD_BUDGET + ".")
    Double hardBudget;

    @Mixin
    JsonOutputOption json = new JsonOutputOption();

    @Option(names = "--plot", description = "Also draw accuracy against FLOPs saved over the sweep (PNG).")
    Path plot;

    @Option(names = "--threads", description = "Scoring threads (default: all cores).")
    Integer threads;

    @Option(names = "--hard-out", paramLabel = "FILE", description = "Also write the records that reach the last exit still"
            + " unsure under the rule (those the job sends to the hard-example topic) as JSON lines: id, text, label (the"
            + " data file's), predicted and confidence. It is a data file: reviewed, it trains the next version with"
            + " 'beex train --init'.")
    Path hardOut;

    @Override
    public Integer call() throws IOException {
        ModelArtifact artifact = model.read();
        ExitRule rule = exitRule.orElse(artifact.exitRule());
        double budget = hardBudget != null ? hardBudget : trainedBudget(artifact);
        if (!(budget >= 0 && budget < 1)) {
            throw new UserException("--hard-budget: must be in [0, 1), not " + budget);
        }
        List<LabeledText> records = data.labeled();
        Evaluator evaluator = threads == null ? new Evaluator() : new Evaluator(threads);
        ExitOutputs outputs = evaluator.collect(artifact, records);
        EvalReport report = Evaluator.report(outputs, rule, new FlopCounter(artifact.config()), artifact.labels(),
                artifact.artifactBytes(), artifact.float32Bytes(), budget);
        if (hardOut != null) {
            writeHardExamples(outputs, rule, artifact.labels(), records);
        }
        if (plot != null) {
            EvalPlot.write(report, model.file.getFileName() + " on " + data.file.getFileName(), plot);
        }
        if (json.enabled()) {
            System.out.println(new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report.toJson()));
        } else {
            System.out.println("model              " + model.file + " (sha256 " + artifact.sha256().substring(0, 12) + "...)");
            System.out.println("data               " + data.file);
            System.out.print(report.toText());
            if (plot != null) {
                System.out.println("plot               " + plot);
            }
        }
        return 0;
    }

    /** {@code --hard-out}: one JSON line per record the rule fired for at no exit. */
    private void writeHardExamples(ExitOutputs outputs, ExitRule rule, List<String> labels, List<LabeledText> records) {
        ObjectMapper mapper = new ObjectMapper();
        int last = outputs.exits() - 1;
        try (BufferedWriter w = Files.newBufferedWriter(hardOut, StandardCharsets.UTF_8)) {
            for (int r = 0; r < outputs.records(); r++) {
                if (outputs.firstFiring(rule, r) < outputs.exits()) {
                    continue;   // answered at some exit: not a hard example
                }
                LabeledText t = records.get(r);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("id", t.id() == null ? Integer.toString(r + 1) : t.id());
                line.put("text", t.text());
                line.put("label", t.label());
                line.put("predicted", labels.get(outputs.answer(rule, r)));
                line.put("confidence", outputs.confidences()[r][last]);
                w.write(mapper.writeValueAsString(line));
                w.newLine();
            }
        } catch (IOException e) {
            throw new UserException("--hard-out: cannot write " + hardOut + ": " + e.getMessage(), e);
        }
    }

    /** The review budget stored by {@code beex train}, or the default for older models. */
    private static double trainedBudget(ModelArtifact artifact) {
        String v = artifact.metadata().get(TrainCommand.HARD_BUDGET_KEY);
        try {
            return v == null ? ExitSweep.DEFAULT_HARD_BUDGET : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return ExitSweep.DEFAULT_HARD_BUDGET;
        }
    }
}
