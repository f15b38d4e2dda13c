package dev.beex.model.bench;

import dev.beex.model.LinearParams;
import dev.beex.model.engine.BinaryLinearProbe;
import dev.beex.model.nn.Binarizer;
import dev.beex.model.nn.Linear;
import dev.beex.model.nn.LinearWeights;
import java.util.Random;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * One linear layer of the block shapes, over a sequence of tokens, four ways:
 * <ul>
 *   <li>{@code binary}: the engine's bit-packed layer, binarizing the float input first
 *       (β and the sign bits per token) — what a layer costs in the engine;</li>
 *   <li>{@code binaryPrepacked}: the XOR/popcount kernel alone on already-packed input;</li>
 *   <li>{@code floatBlocked}: the engine's dense float kernel (transposed weights, i-k-j,
 *       four tokens per weight-row load; vectorized by HotSpot) — the float baseline;</li>
 *   <li>{@code floatTraining}: the training path's float layer ({@code nn.FloatLinear},
 *       i-k-j with four k per pass), for reference.</li>
 * </ul>
 * Score: microseconds per call; MACs per call = tokens·in·out.
 * Run: {@code model/jmh.sh LinearKernelBenchmark} (see docs-engine.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class LinearKernelBenchmark {

    @Param({"128x128", "128x256", "256x128"})
    public String shape;

    @Param({"16", "64", "128"})
    public int tokens;

    private BinaryLinearProbe binary;
    private dev.beex.model.engine.FloatLinear dense;
    private Linear training;
    private float[] x;
    private float[] y;

    @Setup
    public void setup() {
        String[] s = shape.split("x");
        int in = Integer.parseInt(s[0]), out = Integer.parseInt(s[1]);
        Random r = new Random(42);
        float[] w = new float[in * out];
        float[] b = new float[out];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        x = new float[tokens * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        y = new float[tokens * out];
        binary = new BinaryLinearProbe(w, b, in, out, tokens);
        binary.pack(x, tokens);
        dense = new dev.beex.model.engine.FloatLinear(w, b, in, out);
        LinearParams p = new LinearParams(in, out, false, 0f);
        System.arraycopy(w, 0, p.weight, 0, w.length);
        LinearWeights lw = new LinearWeights(p);
        lw.refresh(Binarizer.SIGN);
        training = Linear.create(lw, Binarizer.SIGN, tokens);
    }

    @Benchmark
    public void binary(Blackhole bh) {
        binary.pack(x, tokens);
        binary.forward(tokens, y);
        bh.consume(y);
    }

    @Benchmark
    public void binaryPrepacked(Blackhole bh) {
        binary.forward(tokens, y);
        bh.consume(y);
    }

    @Benchmark
    public void floatBlocked(Blackhole bh) {
        dense.forward(x, null, tokens, y);
        bh.consume(y);
    }

    @Benchmark
    public void floatTraining(Blackhole bh) {
        training.forward(x, 0, tokens, y, 0);
        bh.consume(y);
    }
}
