package dev.beex.operators;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

/**
 * How far the control topic must be applied before the classifier serves: for each control
 * partition that has something to read, its end offset when the job (re)starts. The classifier
 * holds text records (in its checkpointed hold buffer) until its broadcast state's
 * {@code ModelRegistry.controlOffsets} reach these offsets, so a start never serves a superseded
 * or rolled-back model on its way to the latest decision.
 */
public interface ControlBootstrap extends Serializable {

    /** No bootstrap: serve as soon as a model is active (operator tests). */
    ControlBootstrap NONE = new ControlBootstrap() {
        private static final long serialVersionUID = 1L;

        @Override
        public Map<Integer, Long> targetOffsets() {
            return Map.of();
        }

        @Override
        public Duration stallTimeout() {
            return Duration.ZERO;
        }
    };

    /** Partition -> offset the applied control offsets must reach; partitions with nothing to read are left out. */
    Map<Integer, Long> targetOffsets() throws Exception;

    /**
     * Serve anyway (with a warning) when the control path made no progress for this long while
     * behind: e.g. a transaction marker at the end of the topic is an offset no message reaches.
     */
    Duration stallTimeout();
}
