package dev.beex.pipeline.testing;

import dev.beex.pipeline.job.Topics;
import dev.beex.pipeline.kafka.OutputConsumer;
import dev.beex.schemas.DeadLetter;
import dev.beex.schemas.HardExample;
import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.PredictionRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

/** Everything a job committed to its output topics so far (read_committed), accumulated. */
public final class Outputs implements AutoCloseable {

    public final List<PredictionRecord> predictions = new ArrayList<>();
    public final List<HardExample> hardExamples = new ArrayList<>();
    public final List<DeadLetter> deadLetters = new ArrayList<>();
    public final List<ModelEvent> modelEvents = new ArrayList<>();
    private final OutputConsumer consumer;

    public Outputs(Properties client, Topics topics) {
        consumer = new OutputConsumer(client, topics);
    }

    /** Polls until {@code done} holds; fails with what was seen after {@code timeout}. */
    public Outputs awaitUntil(Predicate<Outputs> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(this)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + ": " + this);
            }
            pollOnce(Duration.ofMillis(200));
        }
        return this;
    }

    /** Keeps reading for {@code quiet}: whatever still arrives (duplicates!) is counted too. */
    public Outputs settle(Duration quiet) {
        long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline) {
            pollOnce(Duration.ofMillis(200));
        }
        return this;
    }

    private void pollOnce(Duration d) {
        OutputConsumer.Batch b = consumer.poll(d);
        predictions.addAll(b.predictions());
        hardExamples.addAll(b.hardExamples());
        deadLetters.addAll(b.deadLetters());
        modelEvents.addAll(b.modelEvents());
    }

    public boolean hasEvent(String type, long version) {
        return modelEvents.stream().anyMatch(e -> e.getType().name().equals(type) && e.getVersion() == version);
    }

    @Override
    public void close() {
        consumer.close();
    }

    @Override
    public String toString() {
        return predictions.size() + " predictions, " + hardExamples.size() + " hard examples, "
                + deadLetters.size() + " dead letters, model events " + modelEvents;
    }
}
