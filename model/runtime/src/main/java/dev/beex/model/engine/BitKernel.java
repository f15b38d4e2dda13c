package dev.beex.model.engine;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Which loop shape {@link BinaryLinear} uses for its XOR/popcount dot products, chosen once per
 * process from what this CPU and JVM can do (never assumed):
 * <ul>
 *   <li>{@link #ROWS}: weight rows contiguous, one scalar {@code POPCNT} per 64-bit word,
 *       several tokens or output rows per pass. Fastest where the JIT has no vector popcount
 *       (AVX2-only x86, other CPUs).</li>
 *   <li>{@link #COLUMNS}: weights stored column-major in 32-bit words ({@code columns[q][o]}), so
 *       the inner loop runs over output rows with every array indexed by the loop variable;
 *       HotSpot's C2 (17+) turns {@code Integer.bitCount} there into {@code VPOPCNTD} when the
 *       CPU has AVX-512 VPOPCNTDQ: 16 output rows per instruction.</li>
 * </ul>
 * {@link #selected()} is COLUMNS only when /proc/cpuinfo lists {@code avx512_vpopcntdq} and the
 * JVM runs with {@code UseAVX >= 3}, {@code MaxVectorSize >= 32} and {@code UseSuperWord};
 * the system property {@code beex.bitKernel=rows|columns} overrides it (benchmarks, tests).
 * Both give bit-identical outputs (the integer counts are exact; the float tail is the same).
 */
public enum BitKernel {
    ROWS,
    COLUMNS;

    /** System property that overrides the automatic choice. */
    public static final String PROPERTY = "beex.bitKernel";

    private static final BitKernel SELECTED = detect();

    /** The kernel this process uses by default. */
    public static BitKernel selected() {
        return SELECTED;
    }

    /** Why {@link #selected()} is what it is (for logs and {@code beex bench}). */
    public static String describe() {
        return SELECTED.name().toLowerCase(Locale.ROOT) + (vectorPopcount() ? " (CPU and JIT have a vector popcount)"
                : " (no AVX-512 VPOPCNTDQ vector popcount reachable from the JIT here)");
    }

    private static BitKernel detect() {
        String forced = System.getProperty(PROPERTY);
        if (forced != null && !forced.isBlank()) {
            return valueOf(forced.trim().toUpperCase(Locale.ROOT));
        }
        return vectorPopcount() ? COLUMNS : ROWS;
    }

    static boolean vectorPopcount() {
        return cpuHasVpopcntdq() && jvmOption("UseAVX", 0) >= 3 && jvmOption("MaxVectorSize", 0) >= 32
                && jvmOption("UseSuperWord", 0) == 1;
    }

    private static boolean cpuHasVpopcntdq() {
        String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return false;
        }
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.startsWith("flags")) {
                    return (" " + line + " ").contains(" avx512_vpopcntdq ");
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: no evidence of the feature
        }
        return false;
    }

    /** A HotSpot VM option as a number (true = 1), or {@code missing} when it cannot be read. */
    private static long jvmOption(String name, long missing) {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            String v = bean.getVMOption(name).getValue();
            if (v.equals("true")) {
                return 1;
            }
            if (v.equals("false")) {
                return 0;
            }
            return Long.parseLong(v);
        } catch (RuntimeException | LinkageError e) {
            return missing;
        }
    }
}
