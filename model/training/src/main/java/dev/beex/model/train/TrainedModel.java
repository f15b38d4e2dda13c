package dev.beex.model.train;

import dev.beex.model.ModelParams;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.exit.ExitSweep;
import dev.beex.model.text.Tokenizer;
import java.util.List;

/**
 * The result of {@link Trainer#train}: the parameters of the best epoch, the tokenizer and
 * labels they go with, and the calibrated exit rule.
 *
 * @param devAccuracy          dev accuracy with {@code exitRule}
 * @param devLastExitAccuracy  dev accuracy of the last exit (what selected the epoch)
 * @param devMeanBlocks        mean blocks run per dev record with {@code exitRule}
 * @param bestEpoch            1-based epoch whose parameters were kept
 * @param sweep                the δ sweep on dev that {@code exitRule} was chosen from
 * @param trainMillis          wall time of the whole run
 */
public record TrainedModel(ModelParams params, Tokenizer tokenizer, List<String> labels, ExitRule exitRule,
                           double devAccuracy, double devLastExitAccuracy, double devMeanBlocks, int bestEpoch,
                           List<ExitSweep.Row> sweep, long trainMillis) {
}
