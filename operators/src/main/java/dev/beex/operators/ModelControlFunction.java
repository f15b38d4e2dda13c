package dev.beex.operators;

import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.ModelEventType;
import dev.beex.schemas.ModelRegistry;
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
 * fresh start repeats no event.
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
        group.gauge("activeModelVersion", () -> registry == null ? 0L : registry.getActiveVersion());
        if (registry == null) {
            registry = ModelControl.empty(); // not checkpointed (no initializeState call)
            writtenEventIds = Set.of();
        }
    }

    @Override
    public void processElement(ControlMessage message, Context ctx, Collector<ModelRegistry> out) {
        ModelControl.Decision d = message.problem() != null
                ? ModelControl.rejected(registry, message.problem())
                : control.apply(registry, message.update(), message.fetched());
        String name = message.update() == null ? "" : message.update().getModelName();
        long version = message.update() == null ? 0 : message.update().getVersion();
        if (!d.changed()) {
            rejected.inc();
            LOG.warn("Rejected control message {} ({} v{}): {}", message.position(), name, version, d.reason());
            emit(ctx, message, event(ModelEventType.REJECTED, name, version,
                    message.update() == null ? null : message.update().getSha256(), d.reason(),
                    message.update() == null ? -1 : d.previousVersion(), message.update() == null ? -1 : d.previousVersion()));
        } else {
            StoredModel model = d.model();
            (d.type() == ModelEventType.ACCEPTED ? accepted : rolledBack).inc();
            LOG.info("Model {} v{} active ({} from v{}, control message {})", model.getModelName(), model.getVersion(),
                    d.type(), d.previousVersion(), message.position());
            emit(ctx, message, event(d.type(), model.getModelName(), model.getVersion(), model.getSha256(), null,
                    model.getVersion(), d.previousVersion()));
            emit(ctx, message, event(ModelEventType.ACTIVE, model.getModelName(), model.getVersion(), model.getSha256(),
                    null, model.getVersion(), d.previousVersion()));
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

    private void emit(Context ctx, ControlMessage message, ModelEvent event) {
        String id = message.position() + "/" + event.getType().name();
        if (writtenEventIds.contains(id)) {
            return; // emitted by an earlier run: a replay must not repeat it
        }
        event.setEventId(id);
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
