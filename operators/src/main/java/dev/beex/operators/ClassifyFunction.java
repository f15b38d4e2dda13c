package dev.beex.operators;

import dev.beex.model.artifact.InvalidArtifactException;
import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.engine.InferenceEngine;
import dev.beex.model.engine.ScoreResult;
import dev.beex.model.exit.ExitRule;
import dev.beex.schemas.DeadLetter;
import dev.beex.schemas.HardExample;
import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.ModelEventType;
import dev.beex.schemas.ModelRegistry;
import dev.beex.schemas.ModelUpdate;
import dev.beex.schemas.PredictionRecord;
import dev.beex.schemas.StoredModel;
import dev.beex.schemas.TextRecord;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores text records with the active BEExformer and applies model updates from the broadcast
 * control stream.
 *
 * <p><b>State.</b> Broadcast state ({@link ModelStateDescriptors#MODELS}) holds the retained model
 * versions (artifact bytes + metadata) and the active version; {@link ModelControl} defines how a
 * control message changes it. Each subtask keeps one decoded {@link InferenceEngine} for the active
 * version and rebuilds it lazily whenever the active version in state differs from the engine's
 * (after a restore, a deploy or a rollback), so a restore needs no new control message.
 *
 * <p><b>Before the first model.</b> Records are held in operator list state (checkpointed), up to
 * {@link ClassifyOptions#holdBufferLimit()}; beyond it they go to {@link OutputTags#DEAD_LETTERS}
 * with reason {@code HOLD_BUFFER_FULL}. Held records are scored in arrival order as soon as a model
 * is active, before any later record.
 *
 * <p><b>Outputs.</b> One {@link PredictionRecord} per record, naming the model version; records
 * that reached the last block also go to {@link OutputTags#HARD_EXAMPLES}. Model events
 * ({@link OutputTags#MODEL_EVENTS}) are emitted by subtask 0 only: every subtask makes the same
 * decision on the same message, so one copy is the whole story (events carry the subtask index).
 */
public final class ClassifyFunction extends BroadcastProcessFunction<TextRecord, ModelUpdate, PredictionRecord>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ClassifyFunction.class);

    /** The subtask that emits model events. */
    static final int EVENT_SUBTASK = 0;

    private final ClassifyOptions options;

    private transient ModelControl control;
    private transient ClassifierMetrics metrics;
    private transient AvroSingleObjectSerializationSchema<TextRecord> textEncoder;
    private transient int subtask;

    // The decoded model of this subtask; engineVersion 0 = none.
    private transient InferenceEngine engine;
    private transient ScoreResult engineResult;
    private transient long engineVersion;
    private transient String engineModelName;
    private transient List<String> engineLabels;

    // Records that arrived before any model; mirrored into holdState at each checkpoint.
    private transient List<TextRecord> held;
    private transient long heldBytes;
    private transient ListState<TextRecord> holdState;

    public ClassifyFunction() {
        this(ClassifyOptions.defaults());
    }

    public ClassifyFunction(ClassifyOptions options) {
        this.options = options == null ? ClassifyOptions.defaults() : options;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        holdState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("beex-hold-buffer", new AvroTypeInfo<>(TextRecord.class)));
        held = new ArrayList<>();
        if (context.isRestored()) {
            for (TextRecord r : holdState.get()) {
                held.add(r);
                heldBytes += DecodeFunction.utf8Length(r.getText());
            }
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        holdState.update(held);
    }

    @Override
    public void open(OpenContext openContext) {
        control = new ModelControl(options);
        textEncoder = new AvroSingleObjectSerializationSchema<>(TextRecord.class);
        subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        metrics = new ClassifierMetrics(getRuntimeContext().getMetricGroup(), () -> engineVersion,
                () -> held == null ? 0 : held.size());
        if (held == null) {
            held = new ArrayList<>(); // not checkpointed (no initializeState call)
        }
    }

    @Override
    public void processElement(TextRecord record, ReadOnlyContext ctx, Collector<PredictionRecord> out) throws Exception {
        metrics.recordsIn.inc();
        ReadOnlyBroadcastState<String, ModelRegistry> state = ctx.getBroadcastState(ModelStateDescriptors.MODELS);
        StoredModel active = ModelControl.active(state.get(ModelStateDescriptors.REGISTRY_KEY));
        if (active == null) {
            hold(record, ctx);
            return;
        }
        ensureEngine(active, null);
        if (!held.isEmpty()) {
            drainHeld(ctx::output, out);
        }
        score(record, out, ctx::output);
    }

    @Override
    public void processBroadcastElement(ModelUpdate update, Context ctx, Collector<PredictionRecord> out) throws Exception {
        BroadcastState<String, ModelRegistry> state = ctx.getBroadcastState(ModelStateDescriptors.MODELS);
        ModelControl.Decision d = control.apply(state.get(ModelStateDescriptors.REGISTRY_KEY), update);
        String rejection = d.reason();
        if (d.changed()) {
            // Build the engine before touching the state: if that fails, the message is rejected
            // instead of leaving state and engine disagreeing (or failing the job on every replay).
            try {
                ensureEngine(d.model(), d.artifact());
            } catch (RuntimeException e) {
                LOG.error("Model {} v{} passed its checks but no engine could be built", update.getModelName(),
                        d.model().getVersion(), e);
                rejection = "engine could not be built: " + e.getMessage();
            }
        }
        if (rejection != null) {
            metrics.modelsRejected.inc();
            LOG.warn("Rejected model update {} v{} ({}): {}", update.getModelName(), update.getVersion(),
                    update.getAction(), rejection);
            emit(ctx, event(ModelEventType.REJECTED, update.getModelName(), update.getVersion(), update.getSha256(),
                    rejection, d.previousVersion(), d.previousVersion()));
            return;
        }
        state.put(ModelStateDescriptors.REGISTRY_KEY, d.registry());
        StoredModel model = d.model();
        if (d.type() == ModelEventType.ACCEPTED) {
            metrics.modelsAccepted.inc();
        } else {
            metrics.modelsRolledBack.inc();
        }
        LOG.info("Model {} v{} active ({} from v{})", model.getModelName(), model.getVersion(), d.type(),
                d.previousVersion());
        emit(ctx, event(d.type(), model.getModelName(), model.getVersion(), model.getSha256(), null,
                model.getVersion(), d.previousVersion()));
        emit(ctx, event(ModelEventType.ACTIVE, model.getModelName(), model.getVersion(), model.getSha256(), null,
                model.getVersion(), d.previousVersion()));
        if (!held.isEmpty()) {
            drainHeld(ctx::output, out);
        }
    }

    /** The active model version this subtask's engine serves (0 = none yet). */
    long engineVersion() {
        return engineVersion;
    }

    int heldCount() {
        return held.size();
    }

    ClassifierMetrics metrics() {
        return metrics;
    }

    private void hold(TextRecord record, ReadOnlyContext ctx) {
        long bytes = DecodeFunction.utf8Length(record.getText());
        if (held.size() < options.holdBufferLimit() && heldBytes + bytes <= options.holdBufferMaxBytes()) {
            held.add(record);
            heldBytes += bytes;
            return;
        }
        deadLetter(record, DeadLetterReason.HOLD_BUFFER_FULL, "no model and hold buffer full (limits "
                + options.holdBufferLimit() + " records, " + options.holdBufferMaxBytes() + " bytes)", ctx::output);
    }

    private void deadLetter(TextRecord record, DeadLetterReason reason, String detail, SideSink sink) {
        metrics.deadLetters.inc();
        ByteBuffer value;
        try {
            value = ByteBuffer.wrap(textEncoder.serialize(record));
        } catch (RuntimeException e) {
            value = null; // the record itself is broken (e.g. a null text set by a custom upstream)
        }
        sink.output(OutputTags.DEAD_LETTERS, DeadLetter.newBuilder()
                .setReason(reason.name())
                .setDetail(detail)
                .setSource(record.getSource())
                .setKey(null)
                .setValue(value)
                .setTime(Instant.now())
                .build());
    }

    private void drainHeld(SideSink side, Collector<PredictionRecord> out) {
        LOG.info("Scoring {} records held until a model was active", held.size());
        for (TextRecord r : held) {
            score(r, out, side);
        }
        held.clear();
        heldBytes = 0;
    }

    /** Side outputs of either context type (their common base class is not public). */
    private interface SideSink {
        <X> void output(OutputTag<X> tag, X value);
    }

    private void score(TextRecord record, Collector<PredictionRecord> out, SideSink side) {
        long start = System.nanoTime();
        ScoreResult r = engineResult;
        try {
            engine.score(record.getText(), r);   // allocation-free: scratch and result are this subtask's
        } catch (RuntimeException e) {
            // One record must not stop the stream (a restart would meet it again): dead-letter it, loudly.
            LOG.error("Engine failed on record {} with model v{}", record.getId(), engineVersion, e);
            deadLetter(record, DeadLetterReason.SCORING_FAILED, "model v" + engineVersion + " failed: " + e, side);
            return;
        }
        long micros = (System.nanoTime() - start) / 1000;
        // Setters of the generated class (primitive fields): no builder, no default deep copies, no boxing.
        PredictionRecord prediction = new PredictionRecord();
        prediction.setId(record.getId());
        prediction.setEventTime(record.getEventTime());
        prediction.setAttributes(record.getAttributes());
        prediction.setSource(record.getSource());
        prediction.setLabel(engineLabels.get(r.labelIndex));
        prediction.setLabelIndex(r.labelIndex);
        prediction.setConfidence(r.confidence);
        prediction.setLabels(engineLabels);
        prediction.setProbabilities(new FloatList(r.probabilities.clone()));
        prediction.setExitBlock(r.exitBlock);
        prediction.setBlocks(r.blocks);
        prediction.setHard(r.hard());
        prediction.setModelName(engineModelName);
        prediction.setModelVersion(engineVersion);
        prediction.setScoredAt(Instant.ofEpochMilli(System.currentTimeMillis()));
        prediction.setScoringMicros(micros);
        metrics.scoringMicros.update(micros);
        metrics.exitedAt(r.exitBlock);
        metrics.predictionsOut.inc();
        out.collect(prediction);
        if (r.hard()) {
            metrics.hardExamples.inc();
            side.output(OutputTags.HARD_EXAMPLES, new HardExample(prediction, record.getText(),
                    new FloatList(java.util.Arrays.copyOf(r.exitEntropies, r.exitBlock))));
        }
    }

    /**
     * Makes the engine serve {@code model}, decoding it from its bytes unless this subtask already
     * serves that version. {@code parsed} spares a second parse right after validation.
     */
    private void ensureEngine(StoredModel model, ModelArtifact parsed) {
        if (engine != null && engineVersion == model.getVersion()) {
            return;
        }
        ModelArtifact artifact = parsed;
        if (artifact == null) {
            try {
                artifact = SharedArtifacts.get(model.getSha256());
                if (artifact == null) {
                    artifact = ModelArtifact.fromBytes(ModelValidator.copy(model.getArtifact()));
                }
            } catch (InvalidArtifactException e) {
                // It passed validation when accepted: unreadable now means corrupted state, not user input.
                throw new IllegalStateException("model v" + model.getVersion() + " in broadcast state no longer decodes: "
                        + e.getMessage(), e);
            }
        }
        String rule = model.getExitRule() != null ? model.getExitRule() : options.exitRuleOverride();
        artifact = SharedArtifacts.share(artifact);   // subtasks of this JVM share the compiled kernels
        engine = rule == null ? artifact.newEngine() : artifact.newEngine(ExitRule.parse(rule));
        engineResult = new ScoreResult(artifact.config().numLabels(), artifact.config().blocks());
        engineLabels = List.copyOf(artifact.labels());
        engineModelName = model.getModelName();
        engineVersion = model.getVersion();
        LOG.info("Subtask {} serves model {} v{} (exit rule {})", subtask, engineModelName, engineVersion,
                rule == null ? artifact.exitRule() : rule);
    }

    private ModelEvent event(ModelEventType type, String name, long version, String sha, String reason,
                             long activeVersion, long previousVersion) {
        return ModelEvent.newBuilder()
                .setType(type)
                .setModelName(name == null ? "" : name)
                .setVersion(version)
                .setSha256(sha)
                .setReason(reason)
                .setActiveVersion(activeVersion)
                .setPreviousVersion(previousVersion)
                .setTime(Instant.ofEpochMilli(System.currentTimeMillis()))
                .setSubtask(subtask)
                .build();
    }

    private void emit(Context ctx, ModelEvent event) {
        if (subtask == EVENT_SUBTASK) {
            ctx.output(OutputTags.MODEL_EVENTS, event);
        }
    }
}
