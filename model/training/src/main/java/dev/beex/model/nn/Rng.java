package dev.beex.model.nn;

/** SplitMix64: a tiny, fast, seedable generator (dropout masks, initialization, shuffling). */
public final class Rng {
    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    /** A generator for one (seed, stream, index) triple, independent of which thread asks. */
    public static Rng of(long seed, long stream, long index) {
        Rng r = new Rng(seed ^ 0x9E3779B97F4A7C15L * (stream + 1));
        r.state += mix(index + 0x632BE59BD9B4E019L);
        return r;
    }

    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [lo, hi). */
    public float uniform(float lo, float hi) {
        return lo + (hi - lo) * nextFloat();
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        return (int) (((nextLong() >>> 33) * bound) >>> 31);
    }
}
