package dev.beex.model.train;

/** Receives training progress (from the calling thread, between steps). */
@FunctionalInterface
public interface TrainingListener {
    TrainingListener NONE = p -> { };

    void onProgress(TrainingProgress progress);
}
