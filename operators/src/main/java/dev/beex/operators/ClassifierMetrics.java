package dev.beex.operators;

import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * Metrics of {@link ClassifyFunction}, all under the operator's group {@code beex}:
 * counters {@code recordsIn}, {@code predictionsOut}, {@code hardExamples}, {@code deadLetters}, one counter
 * {@code beex.exitBlock.<n>.predictions} per exit block (registered when first used); gauges
 * {@code hardRate} (hard / predictions), {@code activeModelVersion}, {@code heldRecords};
 * histogram {@code scoringMicros} (engine time per record, last 1024 records). Shadow scoring:
 * counters {@code shadowRecords} (records scored by both versions), {@code shadowAgreements} (same
 * label), {@code shadowHardExamples}, {@code shadowFailures} (the shadow threw); gauges
 * {@code shadowAgreement}, {@code shadowHardRate} (of this subtask since it started),
 * {@code shadowModelVersion} (0 = none); histogram {@code shadowScoringMicros}. Model decisions are
 * counted where they are made ({@link ModelControlFunction}, {@link ShadowGateFunction}).
 */
final class ClassifierMetrics {

    private static final int LATENCY_WINDOW = 1024;

    private final MetricGroup group;
    final Counter recordsIn;
    final Counter predictionsOut;
    final Counter hardExamples;
    final Counter deadLetters;
    final Histogram scoringMicros;
    final Counter shadowRecords;
    final Counter shadowAgreements;
    final Counter shadowHardExamples;
    final Counter shadowFailures;
    final Histogram shadowScoringMicros;
    private Counter[] exitBlocks = new Counter[0];

    ClassifierMetrics(MetricGroup operatorGroup, LongSupplier activeVersion, LongSupplier held, LongSupplier shadowVersion) {
        group = operatorGroup.addGroup("beex");
        recordsIn = group.counter("recordsIn");
        predictionsOut = group.counter("predictionsOut");
        hardExamples = group.counter("hardExamples");
        deadLetters = group.counter("deadLetters");
        scoringMicros = group.histogram("scoringMicros", new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
        group.gauge("hardRate", (Gauge<Double>) () -> rate(hardExamples, predictionsOut));
        group.gauge("activeModelVersion", (Gauge<Long>) activeVersion::getAsLong);
        group.gauge("heldRecords", (Gauge<Long>) held::getAsLong);
        shadowRecords = group.counter("shadowRecords");
        shadowAgreements = group.counter("shadowAgreements");
        shadowHardExamples = group.counter("shadowHardExamples");
        shadowFailures = group.counter("shadowFailures");
        shadowScoringMicros = group.histogram("shadowScoringMicros", new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
        group.gauge("shadowAgreement", (Gauge<Double>) () -> rate(shadowAgreements, shadowRecords));
        group.gauge("shadowHardRate", (Gauge<Double>) () -> rate(shadowHardExamples, shadowRecords));
        group.gauge("shadowModelVersion", (Gauge<Long>) shadowVersion::getAsLong);
    }

    /** Counts a record scored by the shadow version too. */
    void shadowCompared(boolean agreed, boolean shadowHard, long shadowMicros) {
        shadowRecords.inc();
        if (agreed) {
            shadowAgreements.inc();
        }
        if (shadowHard) {
            shadowHardExamples.inc();
        }
        shadowScoringMicros.update(shadowMicros);
    }

    private static double rate(Counter part, Counter whole) {
        long n = whole.getCount();
        return n == 0 ? 0.0 : part.getCount() / (double) n;
    }

    /** Counts a prediction that left at {@code exitBlock} (1-based). */
    void exitedAt(int exitBlock) {
        if (exitBlock >= exitBlocks.length) {
            Counter[] grown = new Counter[exitBlock + 1];
            System.arraycopy(exitBlocks, 0, grown, 0, exitBlocks.length);
            exitBlocks = grown;
        }
        Counter c = exitBlocks[exitBlock];
        if (c == null) {
            c = group.addGroup("exitBlock", String.valueOf(exitBlock)).counter("predictions");
            exitBlocks[exitBlock] = c;
        }
        c.inc();
    }

    long exitCount(int exitBlock) {
        return exitBlock < exitBlocks.length && exitBlocks[exitBlock] != null ? exitBlocks[exitBlock].getCount() : 0;
    }
}
