package dev.beex.model.testing;

import java.lang.management.ManagementFactory;

/** What a hot path allocates, from HotSpot's per-thread allocation counter (tests of allocation-free paths). */
public final class Allocations {
    private Allocations() {
    }

    /** Bytes the current thread allocates while running {@code calls} (warm the JIT up first). */
    public static long bytesAllocatedBy(Runnable calls) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(thread);
        calls.run();
        return mx.getThreadAllocatedBytes(thread) - before;
    }
}
