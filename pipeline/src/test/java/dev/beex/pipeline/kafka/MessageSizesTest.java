package dev.beex.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The size relations docs/pipeline-and-deploy.md ("Message sizes") states, and the places outside Java that repeat them. */
class MessageSizesTest {

    @Test
    void producersSendAndConsumersFetchTheLargestControlMessage() {
        assertThat(MessageSizes.MAX_REQUEST_BYTES).isGreaterThanOrEqualTo(MessageSizes.MAX_CONTROL_MESSAGE_BYTES);
        assertThat(MessageSizes.MAX_PARTITION_FETCH_BYTES).isGreaterThanOrEqualTo(2 * MessageSizes.MAX_CONTROL_MESSAGE_BYTES);
    }

    @Test
    void theDeployedBrokerAcceptsTheLargestControlMessage() throws IOException {
        String broker = Files.readString(Path.of("..", "deploy", "kafka", "start.sh"));
        assertThat(broker).contains("message.max.bytes=" + MessageSizes.MAX_CONTROL_MESSAGE_BYTES);
    }

    @Test
    void everyBundledModelFitsInAControlMessage() throws IOException {
        try (Stream<Path> models = Files.list(Path.of("src", "main", "resources", "models"))) {
            assertThat(models.filter(p -> p.toString().endsWith(".beex")))
                    .isNotEmpty()
                    .allSatisfy(p -> assertThat(Files.size(p)).as(p.toString()).isLessThan(MessageSizes.MAX_CONTROL_MESSAGE_BYTES));
        }
    }
}
