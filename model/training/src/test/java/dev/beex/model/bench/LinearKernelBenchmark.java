package dev.beex.model.bench;

import dev.beex.model.engine.BinaryLinearProbe;
import dev.beex.model.engine.BitKernel;
import dev.beex.model.kernels.MatMul;
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
 *   <li>{@code binaryRows} / {@code binaryColumns}: the engine's bit-packed layer with each
 *       XOR/popcount kernel ({@link BitKernel}: scalar POPCNT over row-major words, or the
 *       column-major loops C2 vectorizes to VPOPCNTD on AVX-512 VPOPCNTDQ CPUs), binarizing the
 *       float input first (β and the sign bits per token) — what a layer costs in the engine;</li>
 *   <li>{@code binaryPrepackedRows} / {@code binaryPrepackedColumns}: the kernels alone on
 *       already-packed input;</li>
 *   <li>{@code floatDense}: the engine's dense float kernel (transposed weights, i-k-j, four
 *       k per pass, vectorized by HotSpot) — the float baseline;</li>
 *   <li>{@code floatTokenTiled}: a variant keeping four token rows live per weight-row load,
 *       kept to show why the baseline is the other one;</li>
 *   <li>{@code floatNaive}: the textbook loop (one dot product per output, summed in order, which
 *       HotSpot cannot vectorize) — the kind of loop the first 60 vs 1.4 GMAC/s estimate
 *       was measured against; reported to show how much of a ratio depends on the baseline.</li>
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

    private BinaryLinearProbe rows;
    private BinaryLinearProbe columns;
    private dev.beex.model.engine.FloatLinear dense;
    private float[] wt;
    private float[] w;
    private MatMul matMul;
    private int in;
    private int out;
    private float[] x;
    private float[] y;

    @Setup
    public void setup() {
        String[] s = shape.split("x");
        in = Integer.parseInt(s[0]);
        out = Integer.parseInt(s[1]);
        Random r = new Random(42);
        w = new float[in * out];
        float[] b = new float[out];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        x = new float[tokens * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        y = new float[tokens * out];
        matMul = new MatMul(out);
        rows = new BinaryLinearProbe(w, b, in, out, tokens, BitKernel.ROWS);
        rows.pack(x, tokens);
        columns = new BinaryLinearProbe(w, b, in, out, tokens, BitKernel.COLUMNS);
        columns.pack(x, tokens);
        dense = new dev.beex.model.engine.FloatLinear(w, b, in, out);
        wt = new float[in * out];
        for (int o = 0; o < out; o++) {
            for (int k = 0; k < in; k++) {
                wt[k * out + o] = w[o * in + k];
            }
        }
    }

    @Benchmark
    public void binaryRows(Blackhole bh) {
        rows.pack(x, tokens);
        rows.forward(tokens, y);
        bh.consume(y);
    }

    @Benchmark
    public void binaryColumns(Blackhole bh) {
        columns.pack(x, tokens);
        columns.forward(tokens, y);
        bh.consume(y);
    }

    @Benchmark
    public void binaryPrepackedRows(Blackhole bh) {
        rows.forward(tokens, y);
        bh.consume(y);
    }

    @Benchmark
    public void binaryPrepackedColumns(Blackhole bh) {
        columns.forward(tokens, y);
        bh.consume(y);
    }

    @Benchmark
    public void floatDense(Blackhole bh) {
        dense.forward(x, null, matMul, tokens, y);
        bh.consume(y);
    }

    @Benchmark
    public void floatNaive(Blackhole bh) {
        for (int t = 0; t < tokens; t++) {
            int xo = t * in;
            for (int o = 0; o < out; o++) {
                int wo = o * in;
                float sum = 0f;
                for (int k = 0; k < in; k++) {
                    sum += x[xo + k] * w[wo + k];
                }
                y[t * out + o] = sum;
            }
        }
        bh.consume(y);
    }

    @Benchmark
    public void floatTokenTiled(Blackhole bh) {
        int t = 0;
        java.util.Arrays.fill(y, 0f);
        for (; t + 4 <= tokens; t += 4) {
            int x0 = t * in, x1 = x0 + in, x2 = x1 + in, x3 = x2 + in;
            int y0 = t * out, y1 = y0 + out, y2 = y1 + out, y3 = y2 + out;
            for (int k = 0; k < in; k++) {
                float a0 = x[x0 + k], a1 = x[x1 + k], a2 = x[x2 + k], a3 = x[x3 + k];
                int wo = k * out;
                for (int o = 0; o < out; o++) {
                    float wv = wt[wo + o];
                    y[y0 + o] += a0 * wv;
                    y[y1 + o] += a1 * wv;
                    y[y2 + o] += a2 * wv;
                    y[y3 + o] += a3 * wv;
                }
            }
        }
        bh.consume(y);
    }
}
