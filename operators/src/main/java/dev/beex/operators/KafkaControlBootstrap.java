package dev.beex.operators;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/** {@link ControlBootstrap} from the control topic's earliest and (read_committed) end offsets. */
public final class KafkaControlBootstrap implements ControlBootstrap {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofMinutes(2);

    private final Properties client;
    private final String topic;
    private final Duration stallTimeout;

    public KafkaControlBootstrap(Properties client, String topic, Duration stallTimeout) {
        this.client = new Properties();
        this.client.putAll(client);
        this.topic = topic;
        this.stallTimeout = stallTimeout;
    }

    @Override
    public Map<Integer, Long> targetOffsets() throws Exception {
        try (Admin admin = Admin.create(client)) {
            List<TopicPartitionInfo> partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(60, TimeUnit.SECONDS).get(topic).partitions();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicPartitionInfo p : partitions) {
                TopicPartition tp = new TopicPartition(topic, p.partition());
                earliest.put(tp, OffsetSpec.earliest());
                latest.put(tp, OffsetSpec.latest());
            }
            ListOffsetsOptions committed = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
            var first = admin.listOffsets(earliest, committed).all().get(60, TimeUnit.SECONDS);
            var end = admin.listOffsets(latest, committed).all().get(60, TimeUnit.SECONDS);
            Map<Integer, Long> targets = new HashMap<>();
            for (TopicPartition tp : latest.keySet()) {
                long e = end.get(tp).offset();
                if (e > first.get(tp).offset()) {
                    targets.put(tp.partition(), e);
                }
            }
            return targets;
        }
    }

    @Override
    public Duration stallTimeout() {
        return stallTimeout;
    }
}
