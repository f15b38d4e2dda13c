package dev.beex.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beex.schemas.ModelAction;
import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.ModelEventType;
import dev.beex.schemas.ModelUpdate;
import dev.beex.schemas.ShadowComparison;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ShadowGateFunctionTest {

    private static final ShadowOptions REPORT_EVERY_100 = new ShadowOptions(10, Duration.ofSeconds(1), 100);

    private static OneInputStreamOperatorTestHarness<ShadowComparison, ModelUpdate> gate(ModelEventLog log,
                                                                                       OperatorSubtaskState restore)
            throws Exception {
        var h = new OneInputStreamOperatorTestHarness<ShadowComparison, ModelUpdate>(
                new ProcessOperator<>(new ShadowGateFunction(REPORT_EVERY_100, log)));
        h.setup();
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    /** A partial count from one subtask: {@code records} compared, {@code agreements} agreeing. */
    private static ShadowComparison part(String rollout, long shadowVersion, long records, long agreements,
                                         String promoteWhen, String rejectWhen) {
        ShadowTally t = new ShadowTally();
        t.records = records;
        t.agreements = agreements;
        t.shadowBlocks = 2 * records;
        return t.toComparison(rollout, "m", shadowVersion - 1, shadowVersion, promoteWhen, rejectWhen);
    }

    private static List<ModelEvent> events(OneInputStreamOperatorTestHarness<ShadowComparison, ModelUpdate> h) {
        var q = h.getSideOutput(OutputTags.MODEL_EVENTS);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    @Test
    void thePromoteGateDecidesOnceOnTheSumOfAllSubtasks() throws Exception {
        var h = gate(ModelEventLog.NONE, null);
        String promote = "agreement>=0.9,records>=100";
        for (int i = 0; i < 4; i++) {
            h.processElement(part("control-0-3", 2, 30, 29, promote, null), 0);   // four subtasks, 30 each
        }
        List<ModelUpdate> verdicts = h.extractOutputValues();
        assertThat(verdicts).singleElement().satisfies(u -> {
            assertThat(u.getAction()).isEqualTo(ModelAction.PROMOTE);
            assertThat(u.getVersion()).isEqualTo(2);
            assertThat(u.getModelName()).isEqualTo("m");
            assertThat(u.getComparison().getRecords()).as("decided at the 4th partial: 120 >= 100").isEqualTo(120);
            assertThat(u.getNote()).startsWith("promoted by gate 'agreement>=0.9,records>=100': agreement 0.9667 over 120 records");
        });
        // Counts still on their way when it decided change nothing.
        h.processElement(part("control-0-3", 2, 30, 0, promote, null), 0);
        assertThat(h.extractOutputValues()).hasSize(1);
        assertThat(events(h)).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo(ModelEventType.SHADOW_REPORT);
            assertThat(e.getEventId()).isEqualTo("control-0-3/SHADOW_REPORT/1");
            assertThat(e.getComparison().getRecords()).isEqualTo(120);
            assertThat(e.getComparison().getShadowMeanBlocks()).isEqualTo(2.0);
        });
    }

    @Test
    void theRejectGateWinsAndReportsComeEveryReportRecords() throws Exception {
        var h = gate(ModelEventLog.NONE, null);
        for (int i = 0; i < 7; i++) {
            // Both gates would fire at 300 records: rejection is the safe verdict.
            h.processElement(part("control-0-5", 3, 50, 40, "records>=300", "agreement<0.9,records>=300"), 0);
        }
        assertThat(events(h)).extracting(ModelEvent::getEventId).containsExactly(
                "control-0-5/SHADOW_REPORT/1", "control-0-5/SHADOW_REPORT/2", "control-0-5/SHADOW_REPORT/3");
        assertThat(events(h)).extracting(e -> e.getComparison().getRecords()).containsExactly(100L, 200L, 300L);
        assertThat(h.extractOutputValues()).singleElement()
                .satisfies(u -> assertThat(u.getAction()).isEqualTo(ModelAction.REJECT));
    }

    @Test
    void aNewRolloutStartsOverAndLateCountsOfAnOlderOneAreIgnored() throws Exception {
        var h = gate(ModelEventLog.NONE, null);
        h.processElement(part("control-0-3", 2, 60, 60, "records>=100", null), 0);
        h.processElement(part("control-0-7", 4, 60, 60, "records>=100", null), 0);
        h.processElement(part("control-0-3", 2, 60, 60, "records>=100", null), 0);   // late, from a slower subtask
        assertThat(h.extractOutputValues()).isEmpty();
        h.processElement(part("control-0-7", 4, 40, 40, "records>=100", null), 0);
        assertThat(h.extractOutputValues()).singleElement().satisfies(u -> {
            assertThat(u.getVersion()).isEqualTo(4);
            assertThat(u.getComparison().getRecords()).isEqualTo(100);
        });
    }

    @Test
    void theTotalsAndTheVerdictSurviveARestoreAndReportsAreNotRepeated() throws Exception {
        var before = gate(ModelEventLog.NONE, null);
        before.processElement(part("control-0-3", 2, 150, 150, "records>=250", null), 0);
        OperatorSubtaskState snapshot = before.snapshot(1, 1);
        Set<String> written = events(before).stream().map(ModelEvent::getEventId).collect(Collectors.toSet());
        assertThat(written).containsExactly("control-0-3/SHADOW_REPORT/1");

        var after = gate(() -> written, snapshot);
        after.processElement(part("control-0-3", 2, 100, 100, "records>=250", null), 0);
        assertThat(after.extractOutputValues()).singleElement()
                .satisfies(u -> assertThat(u.getComparison().getRecords()).isEqualTo(250));
        assertThat(events(after)).extracting(ModelEvent::getEventId).containsExactly("control-0-3/SHADOW_REPORT/2");
        OperatorSubtaskState decided = after.snapshot(2, 2);

        var again = gate(ModelEventLog.NONE, decided);
        again.processElement(part("control-0-3", 2, 100, 100, "records>=250", null), 0);
        assertThat(again.extractOutputValues()).as("decided once, also after a restore").isEmpty();
    }
}
