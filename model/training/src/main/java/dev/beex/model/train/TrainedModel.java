package dev.beex.model.train;

import dev.beex.model.ModelParams;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.exit.ExitSweep;
import dev.beex.model.teacher.TeacherGate;
import dev.beex.model.text.Tokenizer;
import java.util.List;

/**
 * The result of {@link Trainer#train}: the parameters of the best epoch, the tokenizer and
 * labels they go with, and the calibrated exit rule. The dev figures are those of the model as the
 * artifact stores it (float16-rounded, scored by the engine): {@code beex eval} of the written
 * artifact on the same dev split reports exactly these.
 *
 * @param devAccuracy          dev accuracy with {@code exitRule}
 * @param devLastExitAccuracy  dev accuracy of the last exit
 * @param devMeanBlocks        mean blocks run per dev record with {@code exitRule}
 * @param devHardFraction      dev records {@code exitRule} fired for at no exit (hard examples)
 * @param devFlopsSaved        FLOPs saved on dev against full depth
 * @param bestEpoch            1-based epoch whose parameters were kept; 0 = none beat the warm-start model on dev
 * @param sweep                every rule calibration chose {@code exitRule} from, scored on dev
 * @param trainMillis          wall time of the whole run
 * @param teacherUsed          whether a teacher's knowledge went into the parameters
 * @param teacherVerdict       how a judged teacher fared against the pre-trained exit 0 on dev, or null
 *                             (no teacher, or one used always)
 */
public record TrainedModel(ModelParams params, Tokenizer tokenizer, List<String> labels, ExitRule exitRule,
                           double devAccuracy, double devLastExitAccuracy, double devMeanBlocks,
                           double devHardFraction, double devFlopsSaved, int bestEpoch,
                           List<ExitSweep.Row> sweep, long trainMillis, boolean teacherUsed,
                           TeacherGate.Verdict teacherVerdict) {
}
