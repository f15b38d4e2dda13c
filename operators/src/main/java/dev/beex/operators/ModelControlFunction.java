package dev.beex.operators;

import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.ModelEventType;
import dev.beex.schemas.ModelRegistry;
import dev.beex.schemas.ModelUpdate;
import dev.beex.schemas.RolloutMode;
import dev.beex.schemas.ShadowComparison;
import dev.beex.schemas.StoredModel;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides every control message once, on the parallelism-1 control path: applies
 * {@link ModelControl} (hash, signature, structure, self-tests, versioning) to the registry it
 * keeps in operator state, and emits the resulting {@link ModelRegistry}, which is broadcast to
 * the classifiers. Every message, rejected or not, yields one registry with its
 * {@code controlOffsets} advanced, so the classifiers know how far the control topic is applied.
 *
 * <p><b>Events</b> ({@link OutputTags#MODEL_EVENTS}) carry a deterministic id
 * ({@code topic-partition-offset/TYPE}); the ids already on the model-events topic are read at
 * start ({@link ModelEventLog}) and not emitted again, so replaying the control topic after a
 * fresh start repeats no event. A shadow or canary deploy yields ACCEPTED (mode SHADOW or CANARY)
 * and no ACTIVE; the gate's PROMOTE yields ACTIVE and its REJECT yields REJECTED, both with the
 * gate's evidence.
 */
public final class ModelControlFunction extends ProcessFunction<ControlMessage, ModelRegistry>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelControlFunction.class);

    static final ListStateDescriptor<ModelRegistry> REGISTRY_STATE =
            new ListStateDescriptor<>("beex-control-registry", new AvroTypeInfo<>(ModelRegistry.class));

    private final ClassifyOptions options;
    private final ModelEventLog eventLog;

    private transient ModelControl control;
    private transient ModelRegistry registry;
    private transient ListState<ModelRegistry> registryState;
    private transient Set<String> writtenEventIds;
    private transient Counter accepted;
    private transient Counter rejected;
    private transient Counter rolledBack;
    private transient Counter promoted;
    private transient Counter shadowsRejected;

    public ModelControlFunction(ClassifyOptions options, ModelEventLog eventLog) {
        this.options = options == null ? ClassifyOptions.defaults() : options;
        this.eventLog = eventLog == null ? ModelEventLog.NONE : eventLog;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        registryState = context.getOperatorStateStore().getListState(REGISTRY_STATE);
        registry = ModelControl.empty();
        for (ModelRegistry r : registryState.get()) {
            registry = r;
        }
        writtenEventIds = eventLog.existingEventIds();
        LOG.info("Control path starts at {} (active v{}); {} model events already written",
                registry.getControlOffsets(), registry.getActiveVersion(), writtenEventIds.size());
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        registryState.update(java.util.List.of(registry));
    }

    @Override
    public void open(OpenContext openContext) {
        control = new ModelControl(options);
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("beex");
        accepted = group.counter("modelsAccepted");
        rejected = group.counter("modelsRejected");
        rolledBack = group.counter("modelsRolledBack");
        promoted = group.counter("modelsPromoted");
        shadowsRejected = group.counter("shadowsRejected");
        group.gauge("activeModelVersion", () -> registry == null ? 0L : registry.getActiveVersion());
        if (registry == null) {
            registry = ModelControl.empty(); // not checkpointed (no initializeState call)
            writtenEventIds = Set.of();
        }
    }

    @Override
    public void processElement(ControlMessage message, Context ctx, Collector<ModelRegistry> out) {
        ModelUpdate update = message.update();
        ModelControl.Decision d = message.problem() != null
                ? ModelControl.rejected(registry, message.problem())
                : control.apply(registry, update, message.fetched(), message.position());
        String name = update == null ? "" : update.getModelName();
        long version = update == null ? 0 : update.getVersion();
        ShadowComparison evidence = update == null ? null : update.getComparison();
        StoredModel model = d.model();
        switch (d.type()) {
            case REJECTED -> {
                // A REJECT verdict withdraws the shadow it names (model set); any other rejection changes nothing.
                (model != null ? shadowsRejected : rejected).inc();
                LOG.warn("Rejected {} ({} v{}): {}", model != null ? "shadow model" : "control message " + message.position(),
                        name, version, d.reason());
                long activeVersion = update == null ? -1 : d.previousVersion();
                emit(ctx, message, event(ModelEventType.REJECTED, name, version,
                        model != null ? model.getSha256() : update == null ? null : update.getSha256(), d.reason(),
                        activeVersion, activeVersion), evidence);
            }
            case ACTIVE -> {
                promoted.inc();
                LOG.info("Shadow model {} v{} promoted to active (was v{}): {}", model.getModelName(), model.getVersion(),
                        d.previousVersion(), update.getNote());
                emit(ctx, message, event(ModelEventType.ACTIVE, model.getModelName(), model.getVersion(), model.getSha256(),
                        update.getNote(), model.getVersion(), d.previousVersion()), evidence);
            }
            default -> {
                (d.type() == ModelEventType.ACCEPTED ? accepted : rolledBack).inc();
                if (d.shadow()) {
                    RolloutMode mode = update.getMode();
                    LOG.info("Model {} v{} accepted as {} beside v{} (control message {})", model.getModelName(),
                            model.getVersion(), mode, d.previousVersion(), message.position());
                    ModelEvent e = event(d.type(), model.getModelName(), model.getVersion(), model.getSha256(), null,
                            d.previousVersion(), d.previousVersion());
                    e.setMode(mode);
                    emit(ctx, message, e, null);
                    break;
                }
                LOG.info("Model {} v{} active ({} from v{}, control message {})", model.getModelName(), model.getVersion(),
                        d.type(), d.previousVersion(), message.position());
                emit(ctx, message, event(d.type(), model.getModelName(), model.getVersion(), model.getSha256(), null,
                        model.getVersion(), d.previousVersion()), null);
                emit(ctx, message, event(ModelEventType.ACTIVE, model.getModelName(), model.getVersion(), model.getSha256(),
                        null, model.getVersion(), d.previousVersion()), null);
            }
        }
        registry = advanced(d.registry(), message);
        out.collect(registry);
    }

    /** The registry with the message's partition marked as applied up to and including it. */
    private static ModelRegistry advanced(ModelRegistry r, ControlMessage message) {
        Map<String, Long> offsets = r.getControlOffsets() == null ? new HashMap<>() : new HashMap<>(r.getControlOffsets());
        offsets.put(String.valueOf(message.partition()), message.offset() + 1);
        return ModelRegistry.newBuilder(r).setControlOffsets(offsets).build();
    }

    private void emit(Context ctx, ControlMessage message, ModelEvent event, ShadowComparison evidence) {
        String id = message.position() + "/" + event.getType().name();
        if (writtenEventIds.contains(id)) {
            return; // emitted by an earlier run: a replay must not repeat it
        }
        event.setEventId(id);
        event.setComparison(evidence);
        ctx.output(OutputTags.MODEL_EVENTS, event);
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
                .setSubtask(getRuntimeContext().getTaskInfo().getIndexOfThisSubtask())
                .build();
    }
}
