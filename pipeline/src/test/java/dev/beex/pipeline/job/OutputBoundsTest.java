package dev.beex.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beex.operators.RecordLimits;
import dev.beex.pipeline.kafka.MessageSizes;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputBoundsTest {

    private static final int KAFKA_DEFAULT = OutputBounds.KAFKA_DEFAULT_MAX_MESSAGE_BYTES;

    @Test
    void defaultsFitKafkasDefaultTopicsUnchanged() {
        RecordLimits l = OutputBounds.derive(JobConfig.defaults(), KAFKA_DEFAULT, KAFKA_DEFAULT, KAFKA_DEFAULT);
        assertThat(l).isEqualTo(RecordLimits.defaults());
    }

    @Test
    void aSmallDeadLetterTopicLowersTheDeadLetterPrefixToFit() {
        RecordLimits l = OutputBounds.derive(JobConfig.defaults(), KAFKA_DEFAULT, KAFKA_DEFAULT, 50_000);
        assertThat(l.deadLetterValueBytes()).isEqualTo(50_000 - RecordLimits.DEAD_LETTER_OVERHEAD_BYTES);
        assertThatThrownBy(() -> OutputBounds.derive(JobConfig.defaults(), KAFKA_DEFAULT, KAFKA_DEFAULT, 4000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("raise its max.message.bytes");
    }

    @Test
    void smallPredictionTopicsAndJsonOutputLowerTheInputMessageBound() {
        RecordLimits small = OutputBounds.derive(JobConfig.defaults(), 200_000, KAFKA_DEFAULT, KAFKA_DEFAULT);
        assertThat(small.maxRecordBytes()).isEqualTo((200_000 - OutputBounds.OUTPUT_OVERHEAD_BYTES) / 2);
        JobConfig json = JobConfig.defaults().with(Map.of(JobConfig.OUTPUT_FORMAT, "json"));
        RecordLimits j = OutputBounds.derive(json, KAFKA_DEFAULT, KAFKA_DEFAULT, KAFKA_DEFAULT);
        assertThat(j.maxRecordBytes()).isLessThan(RecordLimits.DEFAULT_MAX_RECORD_BYTES);
        // A prediction of the largest admitted input, every byte escaped 6-fold, twice, still fits.
        assertThat(2L * 6 * j.maxRecordBytes() + OutputBounds.OUTPUT_OVERHEAD_BYTES).isLessThanOrEqualTo(KAFKA_DEFAULT);
    }

    @Test
    void topicsAllowingMoreThanTheSinksSendAreBoundedByTheSinksMaxRequestSize() {
        int huge = 100 * 1024 * 1024;
        JobConfig config = JobConfig.defaults().with(Map.of(JobConfig.MAX_RECORD_BYTES, String.valueOf(huge),
                JobConfig.DEAD_LETTER_VALUE_BYTES, String.valueOf(huge)));
        RecordLimits l = OutputBounds.derive(config, huge, huge, huge);
        int producer = MessageSizes.MAX_REQUEST_BYTES;
        assertThat(l.maxRecordBytes()).isLessThanOrEqualTo((producer - OutputBounds.OUTPUT_OVERHEAD_BYTES) / 2);
        assertThat(l.deadLetterValueBytes()).isEqualTo(producer - RecordLimits.DEAD_LETTER_OVERHEAD_BYTES);

        JobConfig larger = config.with(Map.of("kafka.max.request.size", String.valueOf(2 * producer)));
        assertThat(OutputBounds.derive(larger, huge, huge, huge).deadLetterValueBytes())
                .isEqualTo(2 * producer - RecordLimits.DEAD_LETTER_OVERHEAD_BYTES);
    }
}
