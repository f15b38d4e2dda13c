package dev.beex.operators;

import dev.beex.schemas.ModelAction;
import dev.beex.schemas.ModelUpdate;
import dev.beex.schemas.RolloutMode;
import dev.beex.schemas.ShadowComparison;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** Builds control messages (what {@code beex publish} sends to the control topic). */
public final class ModelUpdates {

    private ModelUpdates() {
    }

    /** Deploys an artifact inline; {@code signature} may be null (accepted only by jobs without trusted keys). */
    public static ModelUpdate deploy(String modelName, long version, byte[] artifact, byte[] signature) {
        return deploy(modelName, version, artifact, signature, null);
    }

    /** Deploys an artifact inline with an exit-rule override such as {@code reduction:0.05} (null = the artifact's). */
    public static ModelUpdate deploy(String modelName, long version, byte[] artifact, byte[] signature, String exitRule) {
        return ModelUpdate.newBuilder()
                .setAction(ModelAction.DEPLOY)
                .setModelName(modelName)
                .setVersion(version)
                .setSha256(sha256Hex(artifact))
                .setSignature(signature == null ? null : ByteBuffer.wrap(signature))
                .setArtifact(ByteBuffer.wrap(artifact))
                .setExitRule(exitRule)
                .setPublishedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                .build();
    }

    /** Deploys an artifact the job fetches from {@code uri} (file:, http:, https:); sha256 = hex SHA-256 of the file. */
    public static ModelUpdate deployUri(String modelName, long version, String uri, String sha256, byte[] signature,
                                        String exitRule) {
        return ModelUpdate.newBuilder()
                .setAction(ModelAction.DEPLOY)
                .setModelName(modelName)
                .setVersion(version)
                .setSha256(sha256)
                .setSignature(signature == null ? null : ByteBuffer.wrap(signature))
                .setUri(uri)
                .setExitRule(exitRule)
                .setPublishedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                .build();
    }

    /**
     * {@code update} (a deploy) in shadow mode: scored beside the active version on a {@code sample}
     * of records (null = all), promoted or rejected by its gates (null = none; see {@link RolloutGate}).
     */
    public static ModelUpdate shadow(ModelUpdate update, Double sample, String promoteWhen, String rejectWhen) {
        return candidate(update, RolloutMode.SHADOW, sample, promoteWhen, rejectWhen);
    }

    /**
     * {@code update} (a deploy) as a canary: it serves the {@code fraction} of records whose id hashes
     * below it, is compared with the active version on them, and is promoted or rejected by its gates.
     */
    public static ModelUpdate canary(ModelUpdate update, double fraction, String promoteWhen, String rejectWhen) {
        return candidate(update, RolloutMode.CANARY, fraction, promoteWhen, rejectWhen);
    }

    private static ModelUpdate candidate(ModelUpdate update, RolloutMode mode, Double fraction, String promoteWhen,
                                         String rejectWhen) {
        return ModelUpdate.newBuilder(update)
                .setMode(mode)
                .setSample(fraction)
                .setPromoteWhen(promoteWhen)
                .setRejectWhen(rejectWhen)
                .build();
    }

    /** The shadow gate's verdict on a shadow version: PROMOTE or REJECT, with its evidence. */
    static ModelUpdate verdict(ModelAction action, ShadowComparison evidence, String note) {
        return ModelUpdate.newBuilder()
                .setAction(action)
                .setModelName(evidence.getModelName())
                .setVersion(evidence.getShadowVersion())
                .setComparison(evidence)
                .setNote(note)
                .setPublishedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                .build();
    }

    /** Rolls back to a retained version; {@code toVersion} 0 = the version before the active one. */
    public static ModelUpdate rollback(String modelName, long toVersion) {
        return ModelUpdate.newBuilder()
                .setAction(ModelAction.ROLLBACK)
                .setModelName(modelName)
                .setVersion(toVersion)
                .setPublishedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                .build();
    }

    /** Lower-case hex SHA-256, as {@code sha256sum} prints it. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
