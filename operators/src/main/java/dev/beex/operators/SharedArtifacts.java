package dev.beex.operators;

import dev.beex.model.artifact.ModelArtifact;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One decoded {@link ModelArtifact} per model (by SHA-256) in this JVM, shared by every
 * classifier subtask of a TaskManager: they then share its compiled kernels
 * ({@code ModelArtifact.engineModel()}) and each owns only an engine's scratch. Weakly held:
 * a version no subtask serves any more can be collected.
 */
final class SharedArtifacts {
    private static final ConcurrentHashMap<String, WeakReference<ModelArtifact>> BY_SHA = new ConcurrentHashMap<>();

    private SharedArtifacts() {
    }

    /** The artifact already shared for {@code parsed}'s SHA-256, or {@code parsed}, which becomes the shared one. */
    static ModelArtifact share(ModelArtifact parsed) {
        String sha = parsed.sha256();
        WeakReference<ModelArtifact> ref = BY_SHA.compute(sha, (k, old) ->
                old != null && old.get() != null ? old : new WeakReference<>(parsed));
        ModelArtifact shared = ref.get();
        return shared != null ? shared : parsed;
    }

    /** The shared artifact of this SHA-256, or null when no subtask has decoded it (or it was collected). */
    static ModelArtifact get(String sha256) {
        WeakReference<ModelArtifact> ref = sha256 == null ? null : BY_SHA.get(sha256);
        return ref == null ? null : ref.get();
    }
}
