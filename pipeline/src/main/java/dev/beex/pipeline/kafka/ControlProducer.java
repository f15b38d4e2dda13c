package dev.beex.pipeline.kafka;

import dev.beex.operators.TopicSchemas;
import dev.beex.schemas.ModelUpdate;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Sends control messages (model deploys and rollbacks) to the control topic and waits for the ack. */
public final class ControlProducer {

    private ControlProducer() {
    }

    /** Sends one update; returns where it was written. */
    public static RecordMetadata send(Properties clientProperties, String topic, ModelUpdate update) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.setProperty("acks", "all");
        p.setProperty("enable.idempotence", "true");
        p.setProperty("max.request.size", String.valueOf(MessageSizes.MAX_REQUEST_BYTES));
        p.putIfAbsent("delivery.timeout.ms", "30000");
        p.putIfAbsent("request.timeout.ms", "20000");
        p.putIfAbsent("max.block.ms", "20000");
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, TopicSchemas.controlKey(update),
                    TopicSchemas.controlValue(update))).get(60, TimeUnit.SECONDS);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IllegalArgumentException("cannot publish to '" + topic + "' at "
                    + p.getProperty("bootstrap.servers") + ": " + e.getMessage(), e);
        } catch (ExecutionException e) {
            throw new IllegalArgumentException("cannot publish to '" + topic + "' at "
                    + p.getProperty("bootstrap.servers") + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("no Kafka broker acknowledged the model within 60 s at "
                    + p.getProperty("bootstrap.servers"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
