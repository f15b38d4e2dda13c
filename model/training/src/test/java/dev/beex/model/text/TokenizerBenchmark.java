package dev.beex.model.text;

import dev.beex.model.data.LabeledText;
import dev.beex.model.data.TestDatasets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Tokenizer#encode} on real texts: the committed SpamAssassin test split (emails up to
 * 2,000 characters, most cut at 128 tokens) and the sentiment sentences (~11 words), with the
 * default 8k vocabulary learned from the same set. Score: microseconds per text.
 * Run: {@code model/jmh.sh TokenizerBenchmark} (add {@code -prof gc} to see bytes allocated per call).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class TokenizerBenchmark {

    @Param({"spam", "sentences"})
    public String set;

    private List<String> texts;
    private Tokenizer.Encoder encoder;
    private int[] ids;
    private int next;

    @Setup
    public void setup() {
        List<LabeledText> data = set.equals("spam") ? TestDatasets.spamTest() : TestDatasets.sentences("train");
        texts = data.stream().map(LabeledText::text).toList();
        Tokenizer tokenizer = Tokenizer.build(texts, TokenizerOptions.defaults());
        encoder = tokenizer.newEncoder();
        ids = new int[tokenizer.maxTokens()];
    }

    @Benchmark
    public int encode() {
        String t = texts.get(next);
        next = next + 1 == texts.size() ? 0 : next + 1;
        return encoder.encode(t, ids);
    }
}
