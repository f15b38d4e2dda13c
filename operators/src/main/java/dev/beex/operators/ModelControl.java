package dev.beex.operators;

import dev.beex.model.artifact.ModelArtifact;
import dev.beex.schemas.ModelAction;
import dev.beex.schemas.ModelEventType;
import dev.beex.schemas.ModelRegistry;
import dev.beex.schemas.ModelUpdate;
import dev.beex.schemas.RolloutMode;
import dev.beex.schemas.ShadowRollout;
import dev.beex.schemas.StoredModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The control-message protocol: how a {@link ModelUpdate} changes the {@link ModelRegistry}.
 * A pure function of (registry, message, fetched bytes, options); it runs once, on the
 * parallelism-1 control path ({@link ModelControlFunction}).
 *
 * <ul>
 *   <li><b>DEPLOY</b> version V: V must be greater than every version the job ever accepted
 *       ({@code highestVersion}, rolled-back ones included), so a version number always names one
 *       artifact and versions never go backwards; the model name must equal the serving model's;
 *       then {@link ModelValidator}. Accepted: V becomes active, the oldest retained versions beyond
 *       {@code historySize} are dropped.</li>
 *   <li><b>ROLLBACK</b> to V (0 = the retained version before the active one): V must be retained
 *       and not already active. The versions newer than V are dropped from the history (they were
 *       withdrawn); {@code highestVersion} stays, so they cannot be redeployed under the same number.</li>
 *   <li><b>DEPLOY in SHADOW or CANARY mode</b>: the same checks, then V becomes the registry's
 *       candidate ({@link ShadowRollout}) instead of the active version: a shadow is scored beside the
 *       active version and never serves; a canary serves the fraction {@code sample} of the records
 *       (required). The fraction and gates must parse. {@code highestVersion} becomes V. A normal DEPLOY or a ROLLBACK
 *       withdraws a pending shadow (its comparison was against the version that stops serving).</li>
 *   <li><b>PROMOTE / REJECT</b> V (written by the shadow gate): V must be the pending shadow.
 *       PROMOTE makes it the active version (retained like a deploy); REJECT withdraws it.</li>
 * </ul>
 * A rejected message leaves the registry untouched.
 */
final class ModelControl {

    /**
     * The outcome of one control message.
     *
     * @param type       ACCEPTED (a deploy, active or shadow), ROLLED_BACK, ACTIVE (a shadow promoted) or
     *                   REJECTED (the message, or by a REJECT message the shadow)
     * @param registry   the registry after the message (the unchanged one when the message is rejected)
     * @param model      the model the message made active or shadow, or the shadow a REJECT withdrew
     *                   (null when the message is rejected)
     * @param artifact   the parsed artifact of a new deploy (null otherwise: rebuild from bytes)
     * @param reason     why it was rejected (null otherwise)
     * @param previousVersion the active version before the message (0 = none)
     */
    record Decision(ModelEventType type, ModelRegistry registry, StoredModel model, ModelArtifact artifact,
                    String reason, long previousVersion) {
        /** Whether the deploy made {@code model} the shadow or canary, not the active version. */
        boolean shadow() {
            return type == ModelEventType.ACCEPTED && registry.getShadow() != null
                    && registry.getShadow().getModel().getVersion() == model.getVersion();
        }
    }

    private final ModelValidator validator;
    private final int historySize;

    ModelControl(ClassifyOptions options) {
        this.validator = new ModelValidator(options);
        this.historySize = options.historySize();
    }

    static ModelRegistry empty() {
        return new ModelRegistry(new ArrayList<>(), 0L, 0L, null, null);
    }

    static StoredModel active(ModelRegistry registry) {
        if (registry == null || registry.getActiveVersion() == 0) {
            return null;
        }
        for (StoredModel m : registry.getModels()) {
            if (m.getVersion() == registry.getActiveVersion()) {
                return m;
            }
        }
        throw new IllegalStateException("broadcast state names active version " + registry.getActiveVersion()
                + " but does not retain it");
    }

    Decision apply(ModelRegistry current, ModelUpdate update) {
        return apply(current, update, null, "");
    }

    /**
     * {@code fetched}: the artifact bytes of a URI deploy, fetched before (null otherwise);
     * {@code position}: where the message is on the control topic (names a shadow rollout).
     */
    Decision apply(ModelRegistry current, ModelUpdate update, byte[] fetched, String position) {
        ModelRegistry registry = current == null ? empty() : current;
        long previous = registry.getActiveVersion();
        try {
            StoredModel active = active(registry);
            if (update.getModelName() == null || update.getModelName().isBlank()) {
                throw new ModelRejectedException("modelName is required");
            }
            if (active != null && !active.getModelName().equals(update.getModelName())) {
                throw new ModelRejectedException("model name '" + update.getModelName()
                        + "' does not match the serving model '" + active.getModelName() + "'");
            }
            return switch (update.getAction()) {
                case ROLLBACK -> rollback(registry, active, update);
                case PROMOTE -> promote(registry, update);
                case REJECT -> withdrawShadow(registry, update);
                case DEPLOY -> update.getMode() == RolloutMode.SHADOW || update.getMode() == RolloutMode.CANARY
                        ? deployCandidate(registry, active, update, fetched, position)
                        : deploy(registry, update, fetched);
            };
        } catch (ModelRejectedException e) {
            return new Decision(ModelEventType.REJECTED, registry, null, null, e.getMessage(), previous);
        }
    }

    /** A decision that changes nothing: the message is rejected for {@code reason}. */
    static Decision rejected(ModelRegistry current, String reason) {
        ModelRegistry registry = current == null ? empty() : current;
        return new Decision(ModelEventType.REJECTED, registry, null, null, reason, registry.getActiveVersion());
    }

    private Decision deploy(ModelRegistry registry, ModelUpdate update, byte[] fetched) throws ModelRejectedException {
        if (update.getSample() != null || update.getPromoteWhen() != null || update.getRejectWhen() != null) {
            throw new ModelRejectedException("sample, promoteWhen and rejectWhen apply to modes SHADOW and CANARY only");
        }
        ModelValidator.Validated v = validateNewVersion(registry, update, fetched);
        ModelRegistry next = new ModelRegistry(retained(registry.getModels(), v.stored()), update.getVersion(),
                update.getVersion(), registry.getControlOffsets(), null);
        return new Decision(ModelEventType.ACCEPTED, next, v.stored(), v.artifact(), null, registry.getActiveVersion());
    }

    /** A shadow or canary deploy: the version goes beside the active one, which keeps serving (all, or the rest). */
    private Decision deployCandidate(ModelRegistry registry, StoredModel active, ModelUpdate update, byte[] fetched,
                                     String position) throws ModelRejectedException {
        boolean canary = update.getMode() == RolloutMode.CANARY;
        if (active == null) {
            throw new ModelRejectedException("a " + (canary ? "canary" : "shadow")
                    + " version needs an active version to be compared with");
        }
        if (canary && update.getSample() == null) {
            throw new ModelRejectedException("a canary needs the fraction of records it serves (sample)");
        }
        double sample = update.getSample() == null ? 1.0 : update.getSample();
        if (!(sample > 0 && sample <= 1)) {
            throw new ModelRejectedException("sample must be in (0, 1], got " + update.getSample());
        }
        try {
            RolloutGate.parse(update.getPromoteWhen());
            RolloutGate.parse(update.getRejectWhen());
        } catch (IllegalArgumentException e) {
            throw new ModelRejectedException(e.getMessage());
        }
        ModelValidator.Validated v = validateNewVersion(registry, update, fetched);
        ShadowRollout shadow = new ShadowRollout(position, v.stored(), sample, canary ? RolloutMode.CANARY : null,
                update.getPromoteWhen(), update.getRejectWhen());
        ModelRegistry next = ModelRegistry.newBuilder(registry).setHighestVersion(update.getVersion()).setShadow(shadow).build();
        return new Decision(ModelEventType.ACCEPTED, next, shadow.getModel(), v.artifact(), null, registry.getActiveVersion());
    }

    /** Version rules of a deploy, then every check of {@link ModelValidator}. */
    private ModelValidator.Validated validateNewVersion(ModelRegistry registry, ModelUpdate update, byte[] fetched)
            throws ModelRejectedException {
        long version = update.getVersion();
        if (version <= 0) {
            throw new ModelRejectedException("version must be >= 1, got " + version);
        }
        if (version <= registry.getHighestVersion()) {
            throw new ModelRejectedException("version " + version + " is not newer than version "
                    + registry.getHighestVersion() + " (versions only go up; use ROLLBACK to go back)");
        }
        return validator.validate(update, fetched);
    }

    /** {@code models} plus {@code added}, the oldest beyond {@code historySize} dropped. */
    private List<StoredModel> retained(List<StoredModel> models, StoredModel added) {
        List<StoredModel> kept = new ArrayList<>(models);
        kept.add(added);
        while (kept.size() > historySize) {
            kept.remove(0);
        }
        return kept;
    }

    private Decision promote(ModelRegistry registry, ModelUpdate update) throws ModelRejectedException {
        StoredModel shadow = pendingShadow(registry, update);
        ModelRegistry next = new ModelRegistry(retained(registry.getModels(), shadow), shadow.getVersion(),
                registry.getHighestVersion(), registry.getControlOffsets(), null);
        return new Decision(ModelEventType.ACTIVE, next, shadow, null, null, registry.getActiveVersion());
    }

    private Decision withdrawShadow(ModelRegistry registry, ModelUpdate update) throws ModelRejectedException {
        StoredModel shadow = pendingShadow(registry, update);
        ModelRegistry next = ModelRegistry.newBuilder(registry).setShadow(null).build();
        return new Decision(ModelEventType.REJECTED, next, shadow, null,
                update.getNote() == null ? "shadow version rejected" : update.getNote(), registry.getActiveVersion());
    }

    /** The shadow a PROMOTE or REJECT names; it must be the pending one (a repeated verdict finds none). */
    private static StoredModel pendingShadow(ModelRegistry registry, ModelUpdate update) throws ModelRejectedException {
        ShadowRollout shadow = registry.getShadow();
        if (shadow == null || shadow.getModel().getVersion() != update.getVersion()) {
            throw new ModelRejectedException("version " + update.getVersion() + " is not the pending shadow version ("
                    + (shadow == null ? "none is pending" : "pending: " + shadow.getModel().getVersion()) + ")");
        }
        return shadow.getModel();
    }

    private Decision rollback(ModelRegistry registry, StoredModel active, ModelUpdate update) throws ModelRejectedException {
        if (active == null) {
            throw new ModelRejectedException("nothing to roll back: no model is active");
        }
        List<StoredModel> models = registry.getModels();
        int activeIndex = indexOf(models, active.getVersion());
        long target = update.getVersion();
        int targetIndex;
        if (target == 0) {
            if (activeIndex == 0) {
                throw new ModelRejectedException("no version before " + active.getVersion() + " is retained");
            }
            targetIndex = activeIndex - 1;
        } else {
            targetIndex = indexOf(models, target);
            if (targetIndex < 0) {
                throw new ModelRejectedException("version " + target + " is not retained (retained: " + versions(models) + ")");
            }
            if (targetIndex == activeIndex) {
                throw new ModelRejectedException("version " + target + " is already active");
            }
        }
        // Withdraw everything newer than the target; the history stays ordered oldest first.
        List<StoredModel> kept = new ArrayList<>(models.subList(0, targetIndex + 1));
        StoredModel restored = kept.get(targetIndex);
        ModelRegistry next = new ModelRegistry(kept, restored.getVersion(), registry.getHighestVersion(),
                registry.getControlOffsets(), null);
        return new Decision(ModelEventType.ROLLED_BACK, next, restored, null, null, active.getVersion());
    }

    private static int indexOf(List<StoredModel> models, long version) {
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i).getVersion() == version) {
                return i;
            }
        }
        return -1;
    }

    private static List<Long> versions(List<StoredModel> models) {
        List<Long> out = new ArrayList<>();
        for (StoredModel m : models) {
            out.add(m.getVersion());
        }
        return out;
    }
}
