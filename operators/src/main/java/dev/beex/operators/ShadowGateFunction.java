package dev.beex.operators;

import dev.beex.schemas.ModelAction;
import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.ModelEventType;
import dev.beex.schemas.ModelUpdate;
import dev.beex.schemas.ShadowComparison;
import dev.beex.schemas.ShadowGateState;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a shadow version is judged (parallelism 1). It sums the partial comparisons of
 * every classifier subtask ({@link OutputTags#SHADOW_COMPARISONS}) for the current rollout,
 * emits {@code SHADOW_REPORT} model events, and after each partial evaluates the rollout's gates
 * ({@link RolloutGate}; the reject gate first, so a rollout both would decide is rejected). A
 * verdict is emitted once, as a PROMOTE or REJECT {@link ModelUpdate} that the job writes to the
 * control topic: the control path applies it like any control message, so it is ordered with
 * the other decisions, broadcast to every classifier, and replayed by a fresh start.
 *
 * <p>State (the totals, reports emitted, whether it decided) is checkpointed. Report ids are
 * {@code <rollout id>/SHADOW_REPORT/<n>}; those already on the model-events topic are not
 * emitted again ({@link ModelEventLog}), as for the control path's events.
 */
public final class ShadowGateFunction extends ProcessFunction<ShadowComparison, ModelUpdate>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ShadowGateFunction.class);

    static final ListStateDescriptor<ShadowGateState> GATE_STATE =
            new ListStateDescriptor<>("beex-shadow-gate", new AvroTypeInfo<>(ShadowGateState.class));

    private final ShadowOptions shadowOptions;
    private final ModelEventLog eventLog;

    private transient ListState<ShadowGateState> gateState;
    private transient ShadowComparison identity;   // the current rollout; null = none yet
    private transient ShadowTally totals;
    private transient long reports;
    private transient boolean decided;
    private transient RolloutGate promoteWhen;
    private transient RolloutGate rejectWhen;
    private transient Set<String> writtenEventIds;
    private transient Counter reportsOut;
    private transient Counter verdicts;

    public ShadowGateFunction(ShadowOptions shadowOptions, ModelEventLog eventLog) {
        this.shadowOptions = shadowOptions == null ? ShadowOptions.defaults() : shadowOptions;
        this.eventLog = eventLog == null ? ModelEventLog.NONE : eventLog;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        gateState = context.getOperatorStateStore().getListState(GATE_STATE);
        totals = new ShadowTally();
        for (ShadowGateState s : gateState.get()) {
            start(s.getTotals());
            totals.add(s.getTotals());
            reports = s.getReports();
            decided = s.getDecided();
        }
        writtenEventIds = eventLog.existingEventIds();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        gateState.update(identity == null ? List.of()
                : List.of(new ShadowGateState(totals.toComparison(identity), reports, decided)));
    }

    @Override
    public void open(OpenContext openContext) {
        if (totals == null) {
            totals = new ShadowTally();   // not checkpointed (no initializeState call)
            writtenEventIds = Set.of();
        }
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("beex");
        reportsOut = group.counter("shadowReports");
        verdicts = group.counter("shadowVerdicts");
        group.gauge("shadowRecords", (Gauge<Long>) () -> totals.records);
        group.gauge("shadowAgreement", (Gauge<Double>) () -> totals.records == 0 ? 0.0
                : totals.agreements / (double) totals.records);
    }

    @Override
    public void processElement(ShadowComparison part, Context ctx, Collector<ModelUpdate> out) {
        if (identity != null && part.getShadowVersion() < identity.getShadowVersion()) {
            return;   // late counts of an earlier rollout: versions only go up, so a lower one is over
        }
        if (identity == null || !identity.getRolloutId().equals(part.getRolloutId())) {
            start(part);
            totals.clear();
            reports = 0;
            decided = false;
        }
        if (decided) {
            return;   // judged once; counts that were on their way when it decided change nothing
        }
        totals.add(part);
        ShadowComparison now = totals.toComparison(identity);
        ModelAction verdict = rejectWhen != null && rejectWhen.test(now) ? ModelAction.REJECT
                : promoteWhen != null && promoteWhen.test(now) ? ModelAction.PROMOTE : null;
        if (verdict != null || totals.records >= (reports + 1) * shadowOptions.reportRecords()) {
            report(ctx, now);
        }
        if (verdict != null) {
            decided = true;
            verdicts.inc();
            RolloutGate gate = verdict == ModelAction.REJECT ? rejectWhen : promoteWhen;
            String note = (verdict == ModelAction.REJECT ? "rejected" : "promoted") + " by gate '" + gate + "': "
                    + RolloutGate.evidence(now);
            LOG.info("Shadow model {} v{} (active v{}) {}", now.getModelName(), now.getShadowVersion(),
                    now.getActiveVersion(), note);
            out.collect(ModelUpdates.verdict(verdict, now, note));
        }
    }

    private void start(ShadowComparison rollout) {
        identity = rollout;
        promoteWhen = RolloutGate.parse(rollout.getPromoteWhen());   // parsed by the control path already
        rejectWhen = RolloutGate.parse(rollout.getRejectWhen());
    }

    private void report(Context ctx, ShadowComparison now) {
        reports++;
        String id = now.getRolloutId() + "/" + ModelEventType.SHADOW_REPORT.name() + "/" + reports;
        if (writtenEventIds.contains(id)) {
            return;   // emitted by an earlier run
        }
        reportsOut.inc();
        ctx.output(OutputTags.MODEL_EVENTS, ModelEvent.newBuilder()
                .setType(ModelEventType.SHADOW_REPORT)
                .setModelName(now.getModelName())
                .setVersion(now.getShadowVersion())
                .setActiveVersion(now.getActiveVersion())
                .setPreviousVersion(now.getActiveVersion())
                .setReason(RolloutGate.evidence(now))
                .setTime(Instant.ofEpochMilli(System.currentTimeMillis()))
                .setSubtask(getRuntimeContext().getTaskInfo().getIndexOfThisSubtask())
                .setEventId(id)
                .setComparison(now)
                .build());
    }
}
