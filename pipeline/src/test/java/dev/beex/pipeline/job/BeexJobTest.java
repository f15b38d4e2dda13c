package dev.beex.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class BeexJobTest {

    @Test
    void theJobsEnvironmentCheckpointsExactlyOnceAsConfigured() {
        JobConfig config = JobConfig.defaults().with(Map.of(JobConfig.CHECKPOINT_INTERVAL_MS, "1234",
                JobConfig.CHECKPOINT_DIR, "file:///tmp/beex-checkpoints"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);   // never executed

        BeexJob.configureEnvironment(env, config, 3);

        assertThat(env.getParallelism()).isEqualTo(3);
        assertThat(env.getCheckpointConfig().getCheckpointInterval()).isEqualTo(1234);
        assertThat(env.getCheckpointConfig().getCheckpointingConsistencyMode()).isEqualTo(CheckpointingMode.EXACTLY_ONCE);
        assertThat(env.getConfiguration().get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");
        assertThat(env.getConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo("file:///tmp/beex-checkpoints");
    }

    @Test
    void operatorIdsAreUniqueAndUnchanged() {
        // Savepoints map state by these ids: renaming one loses that operator's state.
        List<String> ids = List.of(BeexJob.UID_TEXT_SOURCE, BeexJob.UID_CONTROL_SOURCE, BeexJob.UID_DECODE,
                BeexJob.UID_CONTROL_DECODE, BeexJob.UID_CONTROL_FETCH, BeexJob.UID_CONTROL_DECIDE, BeexJob.UID_CLASSIFY,
                BeexJob.UID_SINK_PREDICTIONS, BeexJob.UID_SINK_HARD_EXAMPLES, BeexJob.UID_SINK_DEAD_LETTERS,
                BeexJob.UID_SINK_MODEL_EVENTS, BeexJob.UID_SHADOW_GATE, BeexJob.UID_SINK_SHADOW_VERDICTS);
        assertThat(ids).doesNotHaveDuplicates().containsExactly("beex-text-source", "beex-control-source", "beex-decode",
                "beex-control-decode", "beex-control-fetch", "beex-control-decide", "beex-classify",
                "beex-sink-predictions", "beex-sink-hard-examples", "beex-sink-dead-letters", "beex-sink-model-events",
                "beex-shadow-gate", "beex-sink-shadow-verdicts");
    }

    @Test
    void theSinksBatchAsKafkaDoesUnlessTheUserSetsLinger() {
        // linger.ms 0 on the at-least-once sinks halved the drain rate of `bench --pipeline` (1,434 vs
        // 2,875 records/s on spam): the sinks keep Kafka's default for both guarantees.
        for (DeliveryGuarantee d : DeliveryGuarantee.values()) {
            JobConfig config = JobConfig.defaults().with(Map.of(JobConfig.DELIVERY, d.cliName()));
            assertThat(BeexJob.sinkProducerProperties(config)).doesNotContainKey("linger.ms");
        }
        JobConfig tuned = JobConfig.defaults().with(Map.of(JobConfig.DELIVERY, DeliveryGuarantee.AT_LEAST_ONCE.cliName(),
                "kafka.linger.ms", "0"));
        assertThat(BeexJob.sinkProducerProperties(tuned)).containsEntry("linger.ms", "0");
    }
}
