package dev.beex.model.train;

/**
 * A progress report. Sent after every optimizer step ({@code devAccuracy} NaN) and at the end
 * of every epoch ({@code endOfEpoch}, with the dev accuracy of the last exit).
 *
 * @param loss mean soft-routing loss of the records seen so far in this epoch
 */
public record TrainingProgress(int epoch, int epochs, int step, int stepsPerEpoch, double loss,
                               double devAccuracy, boolean endOfEpoch, boolean best,
                               long elapsedMillis, long etaMillis, double recordsPerSecond) {
}
