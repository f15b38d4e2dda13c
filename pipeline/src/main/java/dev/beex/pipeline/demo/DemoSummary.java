package dev.beex.pipeline.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's result. Every record is accounted for: {@code predictions + deadLetters == recordsIn}
 * when {@code complete}.
 *
 * @param duplicates     predictions seen twice for one record (exactly-once: 0)
 * @param exitBlocks     predictions per exit block (1-based)
 * @param modelVersions  predictions per model version
 * @param deadLetterReasons dead letters per reason
 * @param latencyMillis  produce → prediction visible to a read_committed consumer: p50, p90, p99, max
 * @param scoringMicros  time in the engine per record: p50, p90, p99, max
 * @param shadowRecords  records v2 was compared with v1 on while in shadow (the latest report or the verdict's evidence)
 * @param agreement      share of those where both gave the same label
 * @param promotions     versions promoted by their gate (ACTIVE events with evidence)
 */
public record DemoSummary(
        boolean complete,
        long recordsIn,
        long malformedIn,
        long predictions,
        long duplicates,
        long deadLetters,
        long hardExamples,
        double accuracy,
        int blocks,
        double meanExitBlock,
        Map<Integer, Long> exitBlocks,
        Map<Long, Long> modelVersions,
        Map<String, Long> deadLetterReasons,
        long modelEvents,
        long shadowRecords,
        double agreement,
        long promotions,
        double seconds,
        double recordsPerSecond,
        Map<String, Long> latencyMillis,
        Map<String, Long> scoringMicros,
        String bootstrapServers,
        int parallelism,
        String delivery) {

    public String toJson() {
        try {
            return new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void print(PrintStream out) {
        out.println();
        out.println("beex demo summary" + (complete ? "" : "  (INCOMPLETE: stopped at the time limit)"));
        out.printf(Locale.ROOT, "  records in          %d (%d of them deliberately malformed)%n", recordsIn, malformedIn);
        out.printf(Locale.ROOT, "  predictions         %d (%d duplicates)%n", predictions, duplicates);
        out.printf(Locale.ROOT, "  dead letters        %d %s%n", deadLetters, deadLetterReasons);
        out.printf(Locale.ROOT, "  accounted for       %d of %d%n", predictions + deadLetters, recordsIn);
        out.printf(Locale.ROOT, "  accuracy            %.4f (against the spam test labels)%n", accuracy);
        out.printf(Locale.ROOT, "  exit blocks         %s of %d (mean %.2f)%n", histogram(), blocks, meanExitBlock);
        out.printf(Locale.ROOT, "  hard examples       %d (reached the last block)%n", hardExamples);
        out.printf(Locale.ROOT, "  model versions      %s (predictions per version), %d model events%n", modelVersions, modelEvents);
        out.printf(Locale.ROOT, "  shadow              v2 compared with v1 on %d records, agreement %.4f; %d promoted by its gate%n",
                shadowRecords, agreement, promotions);
        out.printf(Locale.ROOT, "  throughput          %.1f records/s over %.1f s (parallelism %d, %s)%n",
                recordsPerSecond, seconds, parallelism, delivery);
        out.printf(Locale.ROOT, "  latency end-to-end  p50 %d ms, p90 %d ms, p99 %d ms, max %d ms (produce -> committed output)%n",
                latencyMillis.get("p50"), latencyMillis.get("p90"), latencyMillis.get("p99"), latencyMillis.get("max"));
        out.printf(Locale.ROOT, "  engine time/record  p50 %d us, p90 %d us, p99 %d us, max %d us%n",
                scoringMicros.get("p50"), scoringMicros.get("p90"), scoringMicros.get("p99"), scoringMicros.get("max"));
    }

    private String histogram() {
        StringBuilder b = new StringBuilder();
        exitBlocks.forEach((block, n) -> b.append(b.length() == 0 ? "" : ", ").append(block).append(": ").append(n));
        return "{" + b + "}";
    }
}
