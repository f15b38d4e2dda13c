package dev.beex.operators;

import dev.beex.schemas.ShadowComparison;

/**
 * Counts of an active-vs-shadow comparison: what each classifier subtask accumulates per record
 * (primitive fields: nothing allocated per record) and sends as a partial {@link ShadowComparison},
 * and what the shadow gate sums over all subtasks.
 */
final class ShadowTally {
    long records;
    long agreements;
    long labeled;
    long activeCorrect;
    long shadowCorrect;
    long activeBlocks;
    long shadowBlocks;
    long activeHard;
    long shadowHard;
    long activeMicros;
    long shadowMicros;
    /** Per-record engine time of each version in {@link LatencyHistogram} buckets. */
    final long[] activeLatency = new long[LatencyHistogram.BUCKETS];
    final long[] shadowLatency = new long[LatencyHistogram.BUCKETS];

    /**
     * Counts one record scored by both versions. {@code truth}: the record's {@code label}
     * attribute, null when it has none.
     */
    void add(String activeLabel, int activeExitBlock, boolean activeIsHard, long activeScoringMicros,
             String shadowLabel, int shadowExitBlock, boolean shadowIsHard, long shadowScoringMicros, String truth) {
        records++;
        if (activeLabel.equals(shadowLabel)) {
            agreements++;
        }
        if (truth != null) {
            labeled++;
            if (truth.equals(activeLabel)) {
                activeCorrect++;
            }
            if (truth.equals(shadowLabel)) {
                shadowCorrect++;
            }
        }
        activeBlocks += activeExitBlock;
        shadowBlocks += shadowExitBlock;
        activeHard += activeIsHard ? 1 : 0;
        shadowHard += shadowIsHard ? 1 : 0;
        activeMicros += activeScoringMicros;
        shadowMicros += shadowScoringMicros;
        activeLatency[LatencyHistogram.bucket(activeScoringMicros)]++;
        shadowLatency[LatencyHistogram.bucket(shadowScoringMicros)]++;
    }

    /** Adds the counts of {@code part} (its identity fields are the caller's concern). */
    void add(ShadowComparison part) {
        records += part.getRecords();
        agreements += part.getAgreements();
        labeled += part.getLabeled();
        activeCorrect += part.getActiveCorrect();
        shadowCorrect += part.getShadowCorrect();
        activeBlocks += part.getActiveBlocks();
        shadowBlocks += part.getShadowBlocks();
        activeHard += part.getActiveHard();
        shadowHard += part.getShadowHard();
        activeMicros += part.getActiveMicros();
        shadowMicros += part.getShadowMicros();
        addBuckets(activeLatency, part.getActiveLatencyBuckets());
        addBuckets(shadowLatency, part.getShadowLatencyBuckets());
    }

    private static void addBuckets(long[] into, java.util.List<Long> counts) {
        for (int b = 0; b < counts.size(); b++) {
            into[Math.min(b, into.length - 1)] += counts.get(b);   // a longer histogram folds into the open-ended last bucket
        }
    }

    boolean isEmpty() {
        return records == 0;
    }

    void clear() {
        records = agreements = labeled = activeCorrect = shadowCorrect = 0;
        activeBlocks = shadowBlocks = activeHard = shadowHard = activeMicros = shadowMicros = 0;
        java.util.Arrays.fill(activeLatency, 0);
        java.util.Arrays.fill(shadowLatency, 0);
    }

    /** These counts under {@code identity}'s rollout, names and gates, with the derived rates (null without a denominator). */
    ShadowComparison toComparison(ShadowComparison identity) {
        return toComparison(identity.getRolloutId(), identity.getModelName(), identity.getActiveVersion(),
                identity.getShadowVersion(), identity.getPromoteWhen(), identity.getRejectWhen());
    }

    ShadowComparison toComparison(String rolloutId, String modelName, long activeVersion, long shadowVersion,
                                  String promoteWhen, String rejectWhen) {
        java.util.List<Long> active = counts(activeLatency), shadow = counts(shadowLatency);
        return ShadowComparison.newBuilder()
                .setRolloutId(rolloutId)
                .setModelName(modelName)
                .setActiveVersion(activeVersion)
                .setShadowVersion(shadowVersion)
                .setPromoteWhen(promoteWhen)
                .setRejectWhen(rejectWhen)
                .setRecords(records)
                .setAgreements(agreements)
                .setLabeled(labeled)
                .setActiveCorrect(activeCorrect)
                .setShadowCorrect(shadowCorrect)
                .setActiveBlocks(activeBlocks)
                .setShadowBlocks(shadowBlocks)
                .setActiveHard(activeHard)
                .setShadowHard(shadowHard)
                .setActiveMicros(activeMicros)
                .setShadowMicros(shadowMicros)
                .setActiveLatencyBuckets(active)
                .setShadowLatencyBuckets(shadow)
                .setActiveP99Micros(LatencyHistogram.percentile(active, 0.99))
                .setShadowP99Micros(LatencyHistogram.percentile(shadow, 0.99))
                .setAgreement(rate(agreements, records))
                .setActiveAccuracy(rate(activeCorrect, labeled))
                .setShadowAccuracy(rate(shadowCorrect, labeled))
                .setActiveMeanBlocks(rate(activeBlocks, records))
                .setShadowMeanBlocks(rate(shadowBlocks, records))
                .setActiveHardRate(rate(activeHard, records))
                .setShadowHardRate(rate(shadowHard, records))
                .build();
    }

    /** The bucket counts up to the last non-empty one (a flush or report, not a record: allocating here is fine). */
    private static java.util.List<Long> counts(long[] buckets) {
        int n = buckets.length;
        while (n > 0 && buckets[n - 1] == 0) {
            n--;
        }
        java.util.List<Long> out = new java.util.ArrayList<>(n);
        for (int b = 0; b < n; b++) {
            out.add(buckets[b]);
        }
        return out;
    }

    private static Double rate(long numerator, long denominator) {
        return denominator == 0 ? null : numerator / (double) denominator;
    }
}
