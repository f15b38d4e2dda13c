package dev.beex.operators;

import dev.beex.model.artifact.ArtifactSignature;
import dev.beex.model.exit.ExitRule;
import java.io.Serializable;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Settings of {@link ClassifyFunction}. Immutable and serializable (shipped with the job graph).
 *
 * @param holdBufferLimit  records held per subtask while no model is active; beyond it they are dead-lettered
 * @param holdBufferMaxBytes UTF-8 bytes of text held per subtask while no model is active (bounds memory
 *                         and checkpoint size when texts are long); beyond it records are dead-lettered
 * @param historySize      model versions retained in broadcast state (the active one included) for rollback
 * @param trustedKeys      base64 X.509 encodings of trusted Ed25519 public keys; when non-empty every
 *                         deployed artifact must carry a signature by one of them
 * @param exitRuleOverride job-wide exit rule (parsed once, where the job's configuration is read) replacing
 *                         the artifact's; null = the artifact's. A control message's own exitRule wins over this
 *                         ({@link #servingRule}).
 * @param requiredLabels   when non-null, a model is accepted only with exactly these labels in this order
 * @param maxArtifactBytes largest artifact accepted (inline or fetched)
 * @param fetchTimeout     timeout of one fetch attempt of an artifact given by URI
 */
public record ClassifyOptions(int holdBufferLimit, long holdBufferMaxBytes, int historySize, List<String> trustedKeys,
                              ExitRule exitRuleOverride, List<String> requiredLabels, int maxArtifactBytes,
                              Duration fetchTimeout) implements Serializable {

    public static final int DEFAULT_HOLD_BUFFER_LIMIT = 100_000;
    public static final long DEFAULT_HOLD_BUFFER_MAX_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_HISTORY_SIZE = 3;
    public static final int DEFAULT_MAX_ARTIFACT_BYTES = 64 * 1024 * 1024;
    public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(30);

    public ClassifyOptions {
        if (holdBufferLimit < 0) {
            throw new IllegalArgumentException("hold buffer limit must be >= 0, got " + holdBufferLimit);
        }
        if (holdBufferMaxBytes < 0) {
            throw new IllegalArgumentException("hold buffer byte limit must be >= 0, got " + holdBufferMaxBytes);
        }
        if (historySize < 1) {
            throw new IllegalArgumentException("model history size must be >= 1, got " + historySize);
        }
        if (maxArtifactBytes < 1) {
            throw new IllegalArgumentException("max artifact bytes must be >= 1, got " + maxArtifactBytes);
        }
        trustedKeys = trustedKeys == null ? List.of() : List.copyOf(trustedKeys);
        requiredLabels = requiredLabels == null ? null : List.copyOf(requiredLabels);
        fetchTimeout = fetchTimeout == null ? DEFAULT_FETCH_TIMEOUT : fetchTimeout;
        for (String k : trustedKeys) {
            ArtifactSignature.publicKey(Base64.getDecoder().decode(k));
        }
    }

    public static ClassifyOptions defaults() {
        return new ClassifyOptions(DEFAULT_HOLD_BUFFER_LIMIT, DEFAULT_HOLD_BUFFER_MAX_BYTES, DEFAULT_HISTORY_SIZE, List.of(), null, null,
                DEFAULT_MAX_ARTIFACT_BYTES, DEFAULT_FETCH_TIMEOUT);
    }

    public ClassifyOptions withHoldBufferLimit(int limit) {
        return new ClassifyOptions(limit, holdBufferMaxBytes, historySize, trustedKeys, exitRuleOverride, requiredLabels, maxArtifactBytes, fetchTimeout);
    }

    public ClassifyOptions withHoldBufferMaxBytes(long bytes) {
        return new ClassifyOptions(holdBufferLimit, bytes, historySize, trustedKeys, exitRuleOverride, requiredLabels, maxArtifactBytes, fetchTimeout);
    }

    public ClassifyOptions withHistorySize(int size) {
        return new ClassifyOptions(holdBufferLimit, holdBufferMaxBytes, size, trustedKeys, exitRuleOverride, requiredLabels, maxArtifactBytes, fetchTimeout);
    }

    public ClassifyOptions withTrustedKeys(List<PublicKey> keys) {
        List<String> encoded = new ArrayList<>();
        for (PublicKey k : keys) {
            encoded.add(Base64.getEncoder().encodeToString(k.getEncoded()));
        }
        return new ClassifyOptions(holdBufferLimit, holdBufferMaxBytes, historySize, encoded, exitRuleOverride, requiredLabels, maxArtifactBytes, fetchTimeout);
    }

    public ClassifyOptions withExitRuleOverride(ExitRule rule) {
        return new ClassifyOptions(holdBufferLimit, holdBufferMaxBytes, historySize, trustedKeys, rule, requiredLabels, maxArtifactBytes, fetchTimeout);
    }

    public ClassifyOptions withRequiredLabels(List<String> labels) {
        return new ClassifyOptions(holdBufferLimit, holdBufferMaxBytes, historySize, trustedKeys, exitRuleOverride, labels, maxArtifactBytes, fetchTimeout);
    }

    public ClassifyOptions withMaxArtifactBytes(int bytes) {
        return new ClassifyOptions(holdBufferLimit, holdBufferMaxBytes, historySize, trustedKeys, exitRuleOverride, requiredLabels, bytes, fetchTimeout);
    }

    public ClassifyOptions withFetchTimeout(Duration timeout) {
        return new ClassifyOptions(holdBufferLimit, holdBufferMaxBytes, historySize, trustedKeys, exitRuleOverride, requiredLabels, maxArtifactBytes, timeout);
    }

    /**
     * The rule a model is served with: its control message's own rule ({@code messageRule}, null
     * when it has none), else this job's override, else the artifact's own.
     */
    public ExitRule servingRule(ExitRule messageRule, ExitRule artifactRule) {
        if (messageRule != null) {
            return messageRule;
        }
        return exitRuleOverride != null ? exitRuleOverride : artifactRule;
    }

    /** The trusted keys, decoded. */
    public List<PublicKey> trustedPublicKeys() {
        List<PublicKey> keys = new ArrayList<>();
        for (String k : trustedKeys) {
            keys.add(ArtifactSignature.publicKey(Base64.getDecoder().decode(k)));
        }
        return keys;
    }
}
