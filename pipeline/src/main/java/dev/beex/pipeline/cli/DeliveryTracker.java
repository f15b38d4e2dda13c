package dev.beex.pipeline.cli;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Counts acknowledged sends and remembers the first failed record, so a producer run can resume. */
final class DeliveryTracker {

    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicInteger firstFailed;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    DeliveryTracker(int records) {
        firstFailed = new AtomicInteger(records);
    }

    /** Send callback: {@code error} null = acknowledged. */
    void completed(int index, Exception error) {
        if (error == null) {
            acknowledged.incrementAndGet();
            return;
        }
        failure.compareAndSet(null, error);
        firstFailed.accumulateAndGet(index, Math::min);
    }

    boolean failed() {
        return failure.get() != null;
    }

    Exception failure() {
        return failure.get();
    }

    long acknowledged() {
        return acknowledged.get();
    }

    /** Index (in this run) of the first record that was not delivered. */
    int firstFailed() {
        return firstFailed.get();
    }
}
