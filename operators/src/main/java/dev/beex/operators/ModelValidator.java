package dev.beex.operators;

import dev.beex.model.artifact.ArtifactReader;
import dev.beex.model.artifact.ArtifactSelfTest;
import dev.beex.model.artifact.ArtifactSignature;
import dev.beex.model.artifact.InvalidArtifactException;
import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.exit.ExitRule;
import dev.beex.schemas.ModelUpdate;
import dev.beex.schemas.StoredModel;
import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.util.List;
import java.util.Locale;

/**
 * The checks a DEPLOY must pass before its model may serve, in this order (cheap first):
 * <ol>
 *   <li>exactly one of inline {@code artifact} / {@code uri}; a {@code sha256} of 64 hex digits;</li>
 *   <li>the bytes fetched by URI ({@link ArtifactFetchFunction}, before this step) and the size limit;</li>
 *   <li>SHA-256 of the artifact file bytes equals {@code sha256};</li>
 *   <li>signature: when trusted keys are configured, an Ed25519 signature of the bytes by one of them
 *       is required (without trusted keys a signature is not checked);</li>
 *   <li>structure: {@link ArtifactReader#fromBytes} (magic, format version, internal hash, layout);</li>
 *   <li>self-tests: {@link ArtifactSelfTest#verify} (this engine reproduces the stored outputs);</li>
 *   <li>the exit-rule override parses; the labels equal the required labels, if configured;</li>
 *   <li>an engine can be built with the rule that will serve (what every classifier subtask does next).</li>
 * </ol>
 * Runs once per message on the parallelism-1 control path ({@link ModelControlFunction}); the
 * classifier subtasks receive the decision, never the raw message.
 */
final class ModelValidator {

    /** A model that passed every check: what goes into broadcast state, and the parsed artifact. */
    record Validated(StoredModel stored, ModelArtifact artifact) {}

    private final ClassifyOptions options;
    private final List<PublicKey> trustedKeys;

    ModelValidator(ClassifyOptions options) {
        this.options = options;
        this.trustedKeys = options.trustedPublicKeys();
    }

    /** {@code fetched}: the bytes the fetch step got for a URI deploy (null for inline artifacts). */
    Validated validate(ModelUpdate update, byte[] fetched) throws ModelRejectedException {
        ByteBuffer inline = update.getArtifact();
        String uri = update.getUri();
        boolean hasInline = inline != null && inline.remaining() > 0;
        boolean hasUri = uri != null && !uri.isBlank();
        if (hasInline == hasUri) {
            throw new ModelRejectedException(hasInline
                    ? "update carries both an inline artifact and a uri; send one"
                    : "update carries neither an inline artifact nor a uri");
        }
        String expectedSha = update.getSha256() == null ? "" : update.getSha256().trim().toLowerCase(Locale.ROOT);
        if (!expectedSha.matches("[0-9a-f]{64}")) {
            throw new ModelRejectedException("sha256 must be 64 hex digits, got '" + update.getSha256() + "'");
        }

        if (!hasInline && fetched == null) {
            throw new ModelRejectedException("artifact uri '" + uri + "' was not fetched");
        }
        byte[] bytes = hasInline ? copy(inline) : fetched;
        if (bytes.length > options.maxArtifactBytes()) {
            throw new ModelRejectedException("artifact is " + bytes.length + " bytes, limit " + options.maxArtifactBytes());
        }

        String actualSha = ModelUpdates.sha256Hex(bytes);
        if (!actualSha.equals(expectedSha)) {
            throw new ModelRejectedException("sha256 mismatch: message says " + expectedSha + ", artifact bytes hash to " + actualSha);
        }

        if (!trustedKeys.isEmpty()) {
            ByteBuffer sig = update.getSignature();
            if (sig == null || sig.remaining() == 0) {
                throw new ModelRejectedException("signature required (trusted keys are configured) but the update has none");
            }
            byte[] signature = copy(sig);
            boolean valid = false;
            for (PublicKey key : trustedKeys) {
                if (ArtifactSignature.verify(bytes, signature, key)) {
                    valid = true;
                    break;
                }
            }
            if (!valid) {
                throw new ModelRejectedException("signature does not verify with any of the " + trustedKeys.size() + " trusted key(s)");
            }
        }

        ModelArtifact artifact;
        try {
            artifact = ArtifactReader.fromBytes(bytes);
        } catch (InvalidArtifactException e) {
            throw new ModelRejectedException("invalid artifact: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new ModelRejectedException("invalid artifact: " + e);
        }
        try {
            ArtifactSelfTest.verify(artifact);
        } catch (InvalidArtifactException e) {
            throw new ModelRejectedException("self-test failed: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new ModelRejectedException("self-test failed: " + e);
        }

        String exitRule = update.getExitRule() == null || update.getExitRule().isBlank() ? null : update.getExitRule().trim();
        ExitRule messageRule = null;
        if (exitRule != null) {
            try {
                messageRule = ExitRule.parse(exitRule);
            } catch (IllegalArgumentException e) {
                throw new ModelRejectedException("invalid exitRule override: " + e.getMessage());
            }
        }
        if (options.requiredLabels() != null && !options.requiredLabels().equals(artifact.labels())) {
            throw new ModelRejectedException("labels " + artifact.labels() + " differ from the required " + options.requiredLabels());
        }
        try {
            artifact.newEngine(options.servingRule(messageRule, artifact.exitRule()));
        } catch (RuntimeException e) {
            throw new ModelRejectedException("engine could not be built: " + e.getMessage());
        }

        StoredModel stored = StoredModel.newBuilder()
                .setModelName(update.getModelName())
                .setVersion(update.getVersion())
                .setSha256(actualSha)
                .setArtifact(ByteBuffer.wrap(bytes))
                .setExitRule(exitRule)
                .setPublishedAt(update.getPublishedAt())
                .build();
        return new Validated(stored, artifact);
    }

    /** Copies a buffer's remaining bytes without moving its position (it may be read again). */
    static byte[] copy(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
