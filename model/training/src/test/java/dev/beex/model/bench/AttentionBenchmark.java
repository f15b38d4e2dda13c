package dev.beex.model.bench;

import dev.beex.model.kernels.AttentionKernel;
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

/**
 * One block's multi-head attention (d = 128, 4 heads: the default shape) over n tokens, the
 * engine's two score paths side by side: {@code floatScores} ({@link AttentionKernel#attend}:
 * float q·kᵀ, scale, exp per element) and {@code binaryScores} ({@link AttentionKernel#attendBinary}:
 * sign bits of q and k, XOR/popcount per pair and head, exp from a table). Both include the float
 * weighted sum p·v. Score: microseconds per call. Run: {@code model/jmh.sh AttentionBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class AttentionBenchmark {
    private static final int DIM = 128;
    private static final int HEADS = 4;

    @Param({"15", "120"})
    public int tokens;

    private float[] q;
    private float[] k;
    private float[] v;
    private float[] a;
    private AttentionKernel.Buffers buffers;

    @Setup
    public void setUp() {
        Random r = new Random(1);
        q = gaussian(r, tokens * DIM);
        k = gaussian(r, tokens * DIM);
        v = gaussian(r, tokens * DIM);
        a = new float[tokens * DIM];
        buffers = new AttentionKernel.Buffers(DIM, HEADS, tokens);
    }

    @Benchmark
    public float[] floatScores() {
        AttentionKernel.attend(q, k, v, tokens, DIM, HEADS, buffers, a);
        return a;
    }

    @Benchmark
    public float[] binaryScores() {
        AttentionKernel.attendBinary(q, k, v, tokens, DIM, HEADS, buffers, a);
        return a;
    }

    private static float[] gaussian(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }
}
