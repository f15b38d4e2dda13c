package dev.beex.pipeline.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beex.pipeline.job.Topics;
import dev.beex.pipeline.kafka.OutputConsumer;
import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.ModelEventType;
import dev.beex.schemas.PredictionRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The verdict of a {@code deploy/chaos.sh} run, from what the job committed (read_committed):
 * {@code java -cp beex.jar dev.beex.pipeline.chaos.ChaosReport BOOTSTRAP IDS_FILE FAULTS_FILE} prints one JSON object.
 *
 * <ul>
 *   <li>{@code duplicates}: predictions beyond one per record id; {@code gaps}: ids sent with neither a
 *       prediction nor a dead letter;</li>
 *   <li>{@code staleVersionPredictions}: predictions whose version is neither the version active
 *       (per the model events) when it was scored nor, within {@link #GRACE_MS}, the one it replaced
 *       (the broadcast reaches the subtasks a moment after the decision);</li>
 *   <li>{@code recoverySeconds}: per fault, from the fault to the first committed prediction scored after it.</li>
 * </ul>
 */
public final class ChaosReport {

    static final long GRACE_MS = 2_000;

    private ChaosReport() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "dev.beex.schemas");
        if (args.length != 3) {
            System.err.println("usage: ChaosReport BOOTSTRAP_SERVERS IDS_FILE FAULTS_FILE");
            System.exit(2);
        }
        Properties client = new Properties();
        client.setProperty("bootstrap.servers", args[0]);
        List<String> ids = Files.readAllLines(Path.of(args[1]));
        List<String[]> faults = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[2]))) {
            if (!line.isBlank()) {
                faults.add(line.split(" ", 3));
            }
        }
        System.out.println(new ObjectMapper().writeValueAsString(report(client, Topics.DEFAULT, ids, faults)));
    }

    static ObjectNode report(Properties client, Topics topics, List<String> ids, List<String[]> faults) throws IOException {
        List<PredictionRecord> predictions = new ArrayList<>();
        Set<String> deadIds = new HashSet<>();
        List<ModelEvent> events = new ArrayList<>();
        int deadLetters = 0;
        try (OutputConsumer consumer = new OutputConsumer(client, topics)) {
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < Duration.ofSeconds(10).toNanos()) {
                OutputConsumer.Batch b = consumer.poll(Duration.ofMillis(500));
                if (!b.isEmpty()) {
                    quietSince = System.nanoTime();
                }
                predictions.addAll(b.predictions());
                events.addAll(b.modelEvents());
                deadLetters += b.deadLetters().size();
                b.deadLetters().forEach(d -> {
                    if (d.getKey() != null) {
                        deadIds.add(java.nio.charset.StandardCharsets.UTF_8.decode(d.getKey().duplicate()).toString());
                    }
                });
            }
        }
        Map<String, Integer> perId = new HashMap<>();
        Map<Long, Integer> versions = new TreeMap<>();
        for (PredictionRecord p : predictions) {
            perId.merge(p.getId(), 1, Integer::sum);
            versions.merge(p.getModelVersion(), 1, Integer::sum);
        }
        int duplicates = predictions.size() - perId.size();
        int gaps = 0;
        for (String id : ids) {
            if (!perId.containsKey(id) && !deadIds.contains(id)) {
                gaps++;
            }
        }
        // Active version over time, from the ACTIVE events (one per accepted deploy or rollback).
        List<ModelEvent> active = new ArrayList<>(events.stream().filter(e -> e.getType() == ModelEventType.ACTIVE).toList());
        active.sort(Comparator.comparing(ModelEvent::getTime));
        int stale = 0;
        for (PredictionRecord p : predictions) {
            long t = p.getScoredAt().toEpochMilli();
            long now = activeAt(active, t);
            long before = activeAt(active, t - GRACE_MS);
            if (p.getModelVersion() != now && p.getModelVersion() != before) {
                stale++;
            }
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        out.put("sent", ids.size());
        out.put("predictions", predictions.size());
        out.put("distinctPredicted", perId.size());
        out.put("deadLetters", deadLetters);
        out.put("duplicates", duplicates);
        out.put("gaps", gaps);
        out.put("staleVersionPredictions", stale);
        ObjectNode v = out.putObject("predictionsByVersion");
        versions.forEach((k, n) -> v.put(String.valueOf(k), n));
        out.put("modelEvents", events.size());
        ArrayNode f = out.putArray("faults");
        double worst = 0;
        for (String[] fault : faults) {
            long at = Long.parseLong(fault[0]);
            long first = predictions.stream().mapToLong(p -> p.getScoredAt().toEpochMilli()).filter(x -> x > at).min()
                    .orElse(-1);
            double recovery = first < 0 ? -1 : (first - at) / 1000.0;
            worst = Math.max(worst, recovery);
            ObjectNode o = f.addObject();
            o.put("kind", fault[1]);
            o.put("detail", fault.length > 2 ? fault[2] : "");
            o.put("atMillis", at);
            o.put("recoverySeconds", recovery);
        }
        out.put("recoverySeconds", worst);
        return out;
    }

    private static long activeAt(List<ModelEvent> active, long millis) {
        long v = 0;
        for (ModelEvent e : active) {
            if (e.getTime().toEpochMilli() <= millis) {
                v = e.getActiveVersion();
            }
        }
        return v;
    }
}
