package dev.beex.operators;

import dev.beex.model.engine.ScoreResult;
import dev.beex.schemas.HardExample;
import dev.beex.schemas.ModelRegistry;
import dev.beex.schemas.PredictionRecord;
import dev.beex.schemas.RolloutMode;
import dev.beex.schemas.ShadowComparison;
import dev.beex.schemas.ShadowRollout;
import dev.beex.schemas.StoredModel;
import dev.beex.schemas.TextRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
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
 * Scores text records with the active BEExformer; the broadcast side receives the control path's
 * decisions ({@link ModelControlFunction}) and only switches engines.
 *
 * <p><b>State.</b> Broadcast state ({@link ModelStateDescriptors#MODELS}) holds the latest decided
 * {@link ModelRegistry}: the retained model versions (artifact bytes + metadata), the active version
 * and how far the control topic has been applied. Models were validated once, on the control path;
 * each subtask keeps one decoded {@link InferenceEngine} for the active version and rebuilds it
 * when the active version in state differs from the engine's (after a restore, a deploy or a rollback).
 *
 * <p><b>Bootstrap.</b> At every (re)start the subtask asks {@link ControlBootstrap} for the control
 * topic's end offsets and scores nothing until the registry has been applied up to them: a start
 * serves the latest decision, never a superseded or rolled-back model on its way there.
 *
 * <p><b>Holding.</b> Until then, and while no model is active, records are held in operator list
 * state (checkpointed), up to {@link ClassifyOptions#holdBufferLimit()}; beyond it they go to
 * {@link OutputTags#DEAD_LETTERS} with reason {@code HOLD_BUFFER_FULL}. Held records are scored in
 * arrival order before any later record.
 *
 * <p><b>Outputs.</b> One {@link PredictionRecord} per record, naming the model version; records
 * that reached the last block also go to {@link OutputTags#HARD_EXAMPLES}, their text cut to the
 * dead-letter bound. Model events come from the control path, not from here.
 *
 * <p><b>Shadow.</b> When the registry names a shadow version ({@link ShadowRollout}), each record
 * of its sample ({@link ShadowSample}) is scored by it too, after the active version; the output
 * is the active version's, always. A <b>canary</b> ({@link RolloutMode#CANARY}) is the same but
 * serves the records of its sample: their outputs are the canary's (the active version's if the
 * canary throws). The comparison counts ({@link ShadowTally}) go to
 * {@link OutputTags#SHADOW_COMPARISONS} every {@link ShadowOptions#flushRecords()} records or
 * flush interval, for the parallelism-1 {@link ShadowGateFunction}; unsent counts are in the
 * checkpoint, so a restore neither loses nor repeats them.
 */
public final class ClassifyFunction extends BroadcastProcessFunction<TextRecord, ModelRegistry, PredictionRecord>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ClassifyFunction.class);

    static final ListStateDescriptor<TextRecord> HOLD_STATE =
            new ListStateDescriptor<>("beex-hold-buffer", new AvroTypeInfo<>(TextRecord.class));

    /** Shadow comparison counts not sent yet (at most one entry: the current rollout's). */
    static final ListStateDescriptor<ShadowComparison> UNSENT_COMPARISON_STATE =
            new ListStateDescriptor<>("beex-shadow-unsent", new AvroTypeInfo<>(ShadowComparison.class));

    /** The input attribute holding a record's true label, when the producer knows it (shadow accuracy). */
    public static final String LABEL_ATTRIBUTE = "label";

    private final ClassifyOptions options;
    private final ControlBootstrap bootstrap;
    private final RecordLimits limits;
    private final ShadowOptions shadowOptions;

    private transient ClassifierMetrics metrics;
    private transient AvroSingleObjectSerializationSchema<TextRecord> textEncoder;
    private transient int subtask;

    // Control offsets to reach before serving; null once reached.
    private transient Map<Integer, Long> bootstrapTarget;
    private transient long lastControlProgressNanos;

    // The decoded active model of this subtask; null = none yet.
    private transient ServingEngine serving;

    // The shadow version scored beside it (null = none), its rollout, and the counts not sent yet.
    private transient ServingEngine shadow;
    private transient ShadowRollout shadowRollout;
    private transient ShadowComparison shadowIdentity;   // rollout, names, gates of the counts in shadowTally
    private transient ShadowTally shadowTally;
    private transient long lastShadowFlushNanos;
    private transient ListState<ShadowComparison> unsentState;

    // Records that arrived before any model; mirrored into holdState at each checkpoint.
    private transient List<TextRecord> held;
    private transient long heldBytes;
    private transient ListState<TextRecord> holdState;

    public ClassifyFunction() {
        this(ClassifyOptions.defaults());
    }

    public ClassifyFunction(ClassifyOptions options) {
        this(options, ControlBootstrap.NONE, RecordLimits.defaults());
    }

    public ClassifyFunction(ClassifyOptions options, ControlBootstrap bootstrap, RecordLimits limits) {
        this(options, bootstrap, limits, ShadowOptions.defaults());
    }

    public ClassifyFunction(ClassifyOptions options, ControlBootstrap bootstrap, RecordLimits limits,
                            ShadowOptions shadowOptions) {
        this.options = options == null ? ClassifyOptions.defaults() : options;
        this.bootstrap = bootstrap == null ? ControlBootstrap.NONE : bootstrap;
        this.limits = limits == null ? RecordLimits.defaults() : limits;
        this.shadowOptions = shadowOptions == null ? ShadowOptions.defaults() : shadowOptions;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        holdState = context.getOperatorStateStore().getListState(HOLD_STATE);
        unsentState = context.getOperatorStateStore().getListState(UNSENT_COMPARISON_STATE);
        held = new ArrayList<>();
        shadowTally = new ShadowTally();
        if (context.isRestored()) {
            for (TextRecord r : holdState.get()) {
                held.add(r);
                heldBytes += Utf8.length(r.getText());
            }
            for (ShadowComparison unsent : unsentState.get()) {
                shadowTally.add(unsent);
                shadowIdentity = unsent;   // sent under its own rollout at the next flush
            }
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        holdState.update(held);
        unsentState.update(shadowTally.isEmpty() ? List.of() : List.of(shadowTally.toComparison(shadowIdentity)));
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        textEncoder = new AvroSingleObjectSerializationSchema<>(TextRecord.class);
        subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        metrics = new ClassifierMetrics(getRuntimeContext().getMetricGroup(), this::engineVersion,
                () -> held == null ? 0 : held.size(), () -> shadow == null ? 0 : shadow.version);
        if (held == null) {
            held = new ArrayList<>(); // not checkpointed (no initializeState call)
            shadowTally = new ShadowTally();
        }
        lastShadowFlushNanos = System.nanoTime();
        Map<Integer, Long> target = bootstrap.targetOffsets();
        bootstrapTarget = target.isEmpty() ? null : target;
        lastControlProgressNanos = System.nanoTime();
        if (bootstrapTarget != null) {
            LOG.info("Subtask {} scores nothing before the control topic is applied up to {}", subtask, target);
        }
    }

    @Override
    public void processElement(TextRecord record, ReadOnlyContext ctx, Collector<PredictionRecord> out) throws Exception {
        metrics.recordsIn.inc();
        ModelRegistry registry = ctx.getBroadcastState(ModelStateDescriptors.MODELS).get(ModelStateDescriptors.REGISTRY_KEY);
        StoredModel active = bootstrapTarget == null || bootstrapped(registry) || stalled()
                ? ModelControl.active(registry) : null;
        if (active == null) {
            hold(record, ctx::output);
            return;
        }
        ensureEngine(active);
        SideSink side = ctx::output;   // one per record, shared by the calls below
        ensureShadow(registry.getShadow(), side);
        if (!held.isEmpty()) {
            drainHeld(side, out);
        }
        score(record, out, side);
    }

    @Override
    public void processBroadcastElement(ModelRegistry decision, Context ctx, Collector<PredictionRecord> out) throws Exception {
        ctx.getBroadcastState(ModelStateDescriptors.MODELS).put(ModelStateDescriptors.REGISTRY_KEY, decision);
        lastControlProgressNanos = System.nanoTime();
        if (bootstrapTarget != null && !bootstrapped(decision)) {
            return; // an intermediate decision of the replay: never serve it
        }
        StoredModel active = ModelControl.active(decision);
        if (active == null) {
            return;
        }
        ensureEngine(active);
        ensureShadow(decision.getShadow(), ctx::output);
        if (!held.isEmpty()) {
            drainHeld(ctx::output, out);
        }
    }

    /** Whether {@code registry} has applied the control topic up to the bootstrap target (clears it then). */
    private boolean bootstrapped(ModelRegistry registry) {
        Map<String, Long> applied = registry == null ? null : registry.getControlOffsets();
        for (Map.Entry<Integer, Long> t : bootstrapTarget.entrySet()) {
            Long offset = applied == null ? null : applied.get(String.valueOf(t.getKey()));
            if (offset == null || offset < t.getValue()) {
                return false;
            }
        }
        LOG.info("Subtask {} applied the control topic up to {}: serving", subtask, bootstrapTarget);
        bootstrapTarget = null;
        return true;
    }

    private boolean stalled() {
        Duration timeout = bootstrap.stallTimeout();
        if (timeout.isZero() || System.nanoTime() - lastControlProgressNanos < timeout.toNanos()) {
            return false;
        }
        LOG.warn("Subtask {}: no control progress for {} while the control topic is not applied up to {};"
                + " serving the latest decision received", subtask, timeout, bootstrapTarget);
        bootstrapTarget = null;
        return true;
    }

    /** The active model version this subtask's engine serves (0 = none yet). */
    long engineVersion() {
        return serving == null ? 0 : serving.version;
    }

    /** The shadow version this subtask scores beside it (0 = none). */
    long shadowVersion() {
        return shadow == null ? 0 : shadow.version;
    }

    int heldCount() {
        return held.size();
    }

    ClassifierMetrics metrics() {
        return metrics;
    }

    private void hold(TextRecord record, SideSink side) {
        long bytes = Utf8.length(record.getText());
        if (held.size() < options.holdBufferLimit() && heldBytes + bytes <= options.holdBufferMaxBytes()) {
            held.add(record);
            heldBytes += bytes;
            return;
        }
        deadLetter(record, DeadLetterReason.HOLD_BUFFER_FULL, "no model and hold buffer full (limits "
                + options.holdBufferLimit() + " records, " + options.holdBufferMaxBytes() + " bytes)", side);
    }

    private void deadLetter(TextRecord record, DeadLetterReason reason, String detail, SideSink sink) {
        metrics.deadLetters.inc();
        byte[] value;
        try {
            value = textEncoder.serialize(record);
        } catch (RuntimeException e) {
            value = null; // the record itself is broken (e.g. a null text set by a custom upstream)
        }
        sink.output(OutputTags.DEAD_LETTERS, DeadLetters.of(reason, detail, record.getSource(), null, null, value,
                limits.deadLetterValueBytes()));
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
        ServingEngine active = serving;
        long activeMicros;
        try {
            activeMicros = run(active, record);
        } catch (RuntimeException e) {
            // One record must not stop the stream (a restart would meet it again): dead-letter it, loudly.
            LOG.error("Engine failed on record {} with model v{}", record.getId(), active.version, e);
            deadLetter(record, DeadLetterReason.SCORING_FAILED, "model v" + active.version + " failed: " + e, side);
            return;
        }
        ServingEngine candidate = shadow;
        if (candidate == null || !ShadowSample.includes(record.getId(), shadowRollout.getSample())) {
            emit(record, active, activeMicros, out, side);
            return;
        }
        long candidateMicros;
        try {
            candidateMicros = run(candidate, record);
        } catch (RuntimeException e) {
            // The candidate is on trial: its failure costs no output (a canary's record gets the active answer).
            metrics.shadowFailures.inc();
            LOG.warn("Candidate model v{} failed on record {}: {}", candidate.version, record.getId(), e.toString());
            emit(record, active, activeMicros, out, side);
            return;
        }
        boolean canary = shadowRollout.getMode() == RolloutMode.CANARY;
        emit(record, canary ? candidate : active, canary ? candidateMicros : activeMicros, out, side);
        countComparison(record, active.result, activeMicros, candidate.result, candidateMicros, side);
    }

    /** Scores {@code record} with {@code e} into its reusable result; returns the engine time in microseconds. */
    private static long run(ServingEngine e, TextRecord record) {
        long start = System.nanoTime();
        e.engine.score(record.getText(), e.result);   // allocation-free: scratch and result are this subtask's
        return (System.nanoTime() - start) / 1000;
    }

    /** The prediction (and hard example) of {@code e}'s latest result for {@code record}. */
    private void emit(TextRecord record, ServingEngine e, long micros, Collector<PredictionRecord> out, SideSink side) {
        ScoreResult r = e.result;
        // Setters of the generated class (primitive fields): no builder, no default deep copies, no boxing.
        PredictionRecord prediction = new PredictionRecord();
        prediction.setId(record.getId());
        prediction.setEventTime(record.getEventTime());
        prediction.setAttributes(record.getAttributes());
        prediction.setSource(record.getSource());
        prediction.setLabel(e.labels.get(r.labelIndex));
        prediction.setLabelIndex(r.labelIndex);
        prediction.setConfidence(r.confidence);
        prediction.setLabels(e.labels);
        prediction.setProbabilities(new FloatList(r.probabilities.clone()));
        prediction.setExitBlock(r.exitBlock);
        prediction.setBlocks(r.blocks);
        prediction.setHard(r.hard());
        prediction.setModelName(e.modelName);
        prediction.setModelVersion(e.version);
        prediction.setScoredAt(Instant.ofEpochMilli(System.currentTimeMillis()));
        prediction.setScoringMicros(micros);
        metrics.scoringMicros.update(micros);
        metrics.exitedAt(r.exitBlock);
        metrics.predictionsOut.inc();
        out.collect(prediction);
        if (r.hard()) {
            metrics.hardExamples.inc();
            side.output(OutputTags.HARD_EXAMPLES, new HardExample(prediction, boundedText(record.getText()),
                    new FloatList(java.util.Arrays.copyOf(r.exitEntropies, r.exit + 1))));   // every exit computed
        }
    }

    /**
     * Counts how the candidate's result compares with the active version's on {@code record}, and
     * sends the counts to the gate when a flush is due.
     */
    private void countComparison(TextRecord record, ScoreResult active, long activeMicros, ScoreResult r, long micros,
                                 SideSink side) {
        String activeLabel = serving.labels.get(active.labelIndex);
        String shadowLabel = shadow.labels.get(r.labelIndex);
        Map<String, String> attributes = record.getAttributes();
        shadowTally.add(activeLabel, active.exitBlock, active.hard(), activeMicros, shadowLabel, r.exitBlock, r.hard(),
                micros, attributes == null ? null : attributes.get(LABEL_ATTRIBUTE));
        metrics.shadowCompared(activeLabel.equals(shadowLabel), r.hard(), micros);
        if (shadowTally.records >= shadowOptions.flushRecords()
                || System.nanoTime() - lastShadowFlushNanos >= shadowOptions.flushInterval().toNanos()) {
            flushShadow(side);
        }
    }

    /** Sends the unsent comparison counts to the shadow gate. */
    private void flushShadow(SideSink side) {
        lastShadowFlushNanos = System.nanoTime();
        if (shadowTally.isEmpty()) {
            return;
        }
        side.output(OutputTags.SHADOW_COMPARISONS, shadowTally.toComparison(shadowIdentity));
        shadowTally.clear();
    }

    /**
     * Makes this subtask score {@code rollout}'s shadow version beside the active one (null: no
     * shadow). Counts of an earlier rollout, or of another active version, are sent first.
     */
    private void ensureShadow(ShadowRollout rollout, SideSink side) {
        if (rollout == shadowRollout && (rollout == null || shadow != null)) {
            return;   // the same registry entry as before: the per-record path
        }
        long activeVersion = serving.version;
        // Another registry of the same rollout (a later control message, or a restore with unsent counts).
        boolean sameRollout = rollout != null && shadowIdentity != null
                && rollout.getRolloutId().equals(shadowIdentity.getRolloutId())
                && shadowIdentity.getActiveVersion() == activeVersion;
        if (!sameRollout) {
            flushShadow(side);
        }
        shadowRollout = rollout;
        if (rollout == null) {
            if (shadow != null) {
                LOG.info("Subtask {} stops scoring candidate model v{}", subtask, shadow.version);
            }
            shadow = null;
            return;
        }
        if (sameRollout && shadow != null) {
            return;
        }
        shadow = ServingEngine.load(rollout.getModel(), options);
        if (!sameRollout) {
            shadowIdentity = new ShadowTally().toComparison(rollout.getRolloutId(), rollout.getModel().getModelName(),
                    activeVersion, shadow.version, rollout.getPromoteWhen(), rollout.getRejectWhen());
        }
        LOG.info("Subtask {} scores {} model {} v{} beside v{} (sample {}, exit rule {})", subtask,
                rollout.getMode() == RolloutMode.CANARY ? "canary" : "shadow", shadow.modelName, shadow.version,
                activeVersion, rollout.getSample(), shadow.rule);
    }

    /** The text of a hard example, cut to the dead-letter bound (it is already at most max.text.bytes). */
    private String boundedText(String text) {
        int end = Utf8.prefixEnd(text, limits.deadLetterValueBytes());
        return end == text.length() ? text : text.substring(0, end);
    }

    /**
     * Makes the engine serve {@code model}, decoding it from its bytes unless this subtask already
     * serves that version. The control path validated it (and built an engine from it) once.
     */
    private void ensureEngine(StoredModel model) {
        if (serving != null && serving.version == model.getVersion()) {
            return;
        }
        serving = ServingEngine.load(model, options);
        LOG.info("Subtask {} serves model {} v{} (exit rule {})", subtask, serving.modelName, serving.version, serving.rule);
    }
}
