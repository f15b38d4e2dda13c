package dev.beex.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beex.model.ModelParams;
import dev.beex.model.Precision;
import dev.beex.model.Tensor;
import dev.beex.model.artifact.ArtifactWriter;
import dev.beex.model.data.LabeledText;
import dev.beex.model.data.TestDatasets;
import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.eval.EvalReport;
import dev.beex.model.eval.Evaluator;
import dev.beex.model.exit.ExitSweep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerTest {

    /** A small but real configuration: trains in seconds on the committed sentences split. */
    private static TrainOptions tiny() {
        return TrainOptions.defaults().withShape(32, 2, 2, 32, 32).withVocabulary(2000, 2)
                .withSchedule(2, 16, 3e-3f).withThreads(2);
    }

    @Test
    void learnsTheSentencesTaskWellAboveChance() {
        List<TrainingProgress> progress = new ArrayList<>();
        TrainedModel m = new Trainer().train(TestDatasets.sentences("train"), TestDatasets.sentences("dev"),
                tiny(), progress::add);
        assertThat(m.labels()).containsExactly("negative", "positive");
        assertThat(m.devLastExitAccuracy()).isGreaterThan(0.68);
        assertThat(m.sweep()).extracting(ExitSweep.Row::rule).contains(m.exitRule());
        assertThat(progress.stream().filter(TrainingProgress::endOfEpoch)).hasSize(2);
        assertThat(progress.get(progress.size() - 1).etaMillis()).isZero();

        // held-out test split, scored by the engine of the stored model with the calibrated rule
        ModelArtifact stored = ArtifactWriter.create(m.params(), m.tokenizer(), m.labels(), m.exitRule(), Map.of());
        assertThat(new Evaluator(2).evaluate(stored, TestDatasets.sentences("test")).accuracy()).isGreaterThan(0.68);
    }

    /**
     * Train calibrates on the model AS STORED (float16, scored by the engine): its dev figures and
     * rule are exactly what evaluating the written artifact on the same dev split reports, and
     * what eval's calibration on that split suggests.
     */
    @Test
    void trainDevFiguresAreWhatEvalOfTheStoredModelReports() {
        List<LabeledText> train = TestDatasets.sentences("train"), dev = TestDatasets.sentences("dev");
        TrainOptions o = tiny().withHardBudget(0.05);
        TrainedModel m = new Trainer().train(train, dev, o, TrainingListener.NONE);
        ModelArtifact written = ArtifactWriter.create(m.params(), m.tokenizer(), m.labels(), m.exitRule(), Map.of());
        EvalReport eval = new Evaluator(1).evaluate(written, dev, written.exitRule(), 0.05);
        assertThat(written.exitRule()).isEqualTo(m.exitRule());
        assertThat(eval.accuracy()).isEqualTo(m.devAccuracy());
        assertThat(eval.fullDepthAccuracy()).isEqualTo(m.devLastExitAccuracy());
        assertThat(eval.meanBlocks()).isEqualTo(m.devMeanBlocks());
        assertThat(eval.hardFraction()).isEqualTo(m.devHardFraction());
        assertThat(eval.flopsSaved()).isEqualTo(m.devFlopsSaved());
        assertThat(eval.suggested().rule()).isEqualTo(m.exitRule().toString());
        assertThat(eval.delta()).isEqualTo(Double.parseDouble(Float.toString(m.exitRule().threshold())));
        assertThat(ExitSweep.nearBudget(new ExitSweep.Row(m.exitRule(), 0, 0, m.devHardFraction(), 0, false, 0), 0.05,
                dev.size())).as("dev hard fraction %s near the 5%% budget", m.devHardFraction()).isTrue();
    }

    @Test
    void sameSeedGivesIdenticalParametersAndAnotherSeedDoesNot() {
        List<LabeledText> train = TestDatasets.sentences("train").subList(0, 300);
        List<LabeledText> dev = TestDatasets.sentences("dev").subList(0, 60);
        TrainOptions o = tiny().withShape(16, 2, 2, 16, 16).withSchedule(1, 16, 3e-3f);
        ModelParams a = new Trainer().train(train, dev, o, TrainingListener.NONE).params();
        ModelParams b = new Trainer().train(train, dev, o, TrainingListener.NONE).params();
        ModelParams c = new Trainer().train(train, dev, o.withSeed(7), TrainingListener.NONE).params();
        List<Tensor> ta = a.tensors(), tb = b.tensors(), tc = c.tensors();
        boolean anyDifferent = false;
        for (int i = 0; i < ta.size(); i++) {
            // Arrays.equals, not containsExactly: AssertJ's diff is quadratic on the 2^21-value lexical table
            assertThat(java.util.Arrays.equals(tb.get(i).data(), ta.get(i).data())).as(ta.get(i).name()).isTrue();
            anyDifferent |= !java.util.Arrays.equals(ta.get(i).data(), tc.get(i).data());
        }
        assertThat(anyDifferent).isTrue();
        // latent binarized weights stay inside [-1, 1]
        for (Tensor t : ta) {
            if (t.binarized()) {
                for (float v : t.data()) {
                    assertThat(Math.abs(v)).isLessThanOrEqualTo(1f);
                }
            }
        }
    }

    /**
     * Lexical pre-training trains the table and exit 0 first; the joint stage leaves both as the
     * kept pre-training pass left them (the same after one or two joint epochs), and without
     * pre-training (0 passes) the joint stage does train them.
     */
    @Test
    void lexicalPreTrainingFreezesTheTableAndExitZeroWhileTheBlocksTrain() {
        List<LabeledText> train = TestDatasets.sentences("train").subList(0, 400);
        List<LabeledText> dev = TestDatasets.sentences("dev").subList(0, 80);
        TrainOptions o = tiny().withShape(16, 2, 2, 16, 16);
        TrainOptions pre = o.withLexical(o.lexical().withPretrainEpochs(2));
        ModelParams oneJoint = new Trainer().train(train, dev, pre.withSchedule(1, 16, 3e-3f), TrainingListener.NONE).params();
        ModelParams twoJoint = new Trainer().train(train, dev, pre.withSchedule(2, 16, 3e-3f), TrainingListener.NONE).params();
        ModelParams joint = new Trainer().train(train, dev, o.withLexical(o.lexical().withPretrainEpochs(0))
                .withSchedule(1, 16, 3e-3f), TrainingListener.NONE).params();
        assertThat(java.util.Arrays.equals(oneJoint.lexTable, twoJoint.lexTable)).isTrue();
        assertThat(oneJoint.lexHead.weight).containsExactly(twoJoint.lexHead.weight);
        assertThat(oneJoint.lexHead.bias).containsExactly(twoJoint.lexHead.bias);
        assertThat(java.util.Arrays.equals(oneJoint.lexTable, joint.lexTable)).isFalse();
        // the blocks did train in the joint stage
        assertThat(oneJoint.blocks[0].linears()[0].weight).isNotEqualTo(twoJoint.blocks[0].linears()[0].weight);
    }

    /**
     * Teacher outputs for a split: a label-revealing embedding (an oracle teacher, one-hot of the gold
     * label plus noise) or pure noise (a useless one).
     */
    private static float[][] teacherEmbeddings(List<LabeledText> split, boolean oracle, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[][] x = new float[split.size()][8];
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < 8; k++) {
                x[i][k] = (float) (0.1 * r.nextGaussian());
            }
            if (oracle) {
                x[i][split.get(i).label().equals("positive") ? 0 : 1] += 1f;
            }
        }
        return x;
    }

    private static dev.beex.model.teacher.Teacher judgedTeacher(List<LabeledText> train, List<LabeledText> dev, boolean oracle) {
        var outputs = new dev.beex.model.teacher.TeacherCache.Outputs("t", "sha", 8, teacherEmbeddings(train, oracle, 1), Map.of());
        var devOutputs = new dev.beex.model.teacher.TeacherCache.Outputs("t", "sha2", 8, teacherEmbeddings(dev, oracle, 2), Map.of());
        return new dev.beex.model.teacher.Teacher(outputs, false, true, 0.5f, 2f, devOutputs, true, 0);
    }

    /**
     * A judged teacher that is not clearly better than the pre-trained exit 0 on dev is dropped, and
     * the run is then bit for bit the run without a teacher; a clearly better one is used (and
     * changes what is learned).
     */
    @Test
    void aJudgedTeacherIsUsedOnlyWhenItBeatsThePreTrainedExitZeroOnDev() {
        List<LabeledText> train = TestDatasets.sentences("train").subList(0, 300);
        List<LabeledText> dev = TestDatasets.sentences("dev").subList(0, 80);
        TrainOptions o = tiny().withShape(16, 2, 2, 16, 16).withSchedule(1, 16, 3e-3f)
                .withLexical(tiny().lexical().withPretrainEpochs(2));
        TrainedModel plain = new Trainer().train(train, dev, o, TrainingListener.NONE);
        assertThat(plain.teacherUsed()).isFalse();
        assertThat(plain.teacherVerdict()).isNull();

        List<String> log = new ArrayList<>();
        TrainedModel useless = new Trainer().withTeacher(judgedTeacher(train, dev, false), log::add)
                .train(train, dev, o, TrainingListener.NONE);
        assertThat(useless.teacherUsed()).isFalse();
        assertThat(useless.teacherVerdict().useTeacher()).isFalse();
        assertThat(log).anyMatch(l -> l.startsWith("teacher t: not used (dev: its head"));
        List<Tensor> a = plain.params().tensors(), b = useless.params().tensors();
        for (int i = 0; i < a.size(); i++) {
            assertThat(java.util.Arrays.equals(a.get(i).data(), b.get(i).data())).as(a.get(i).name()).isTrue();
        }
        assertThat(useless.exitRule()).isEqualTo(plain.exitRule());

        log.clear();
        TrainedModel oracle = new Trainer().withTeacher(judgedTeacher(train, dev, true), log::add)
                .train(train, dev, o, TrainingListener.NONE);
        assertThat(oracle.teacherUsed()).isTrue();
        assertThat(oracle.teacherVerdict().teacherAccuracy()).isEqualTo(1.0);
        assertThat(log).anyMatch(l -> l.startsWith("teacher t: used (dev: its head 1.0000"));
        // used with its own pre-training setting (0 passes: the table trains jointly), from the same start
        assertThat(java.util.Arrays.equals(oracle.params().lexTable, plain.params().lexTable)).isFalse();
    }

    /** After pre-training every block exit starts as exit 0: same logits for any pool, given the lexical vector. */
    @Test
    void blockExitsStartAsCopiesOfExitZero() {
        TrainOptions o = tiny().withShape(16, 2, 3, 16, 16);
        dev.beex.model.ModelConfig config = new dev.beex.model.ModelConfig(16, 2, 3, 16, 16, 100, 3, Precision.BINARY,
                64, o.lexical().dim());
        ModelParams p = new ModelParams(config);
        dev.beex.model.nn.Initializer.init(p, 5);
        Trainer.startBlockExitsAtExitZero(p);
        java.util.Random r = new java.util.Random(1);
        float[] lex = new float[config.lexDim()];
        float[] input = new float[config.blockExitInput()];
        for (int k = 0; k < input.length; k++) {
            input[k] = (float) r.nextGaussian();
        }
        System.arraycopy(input, config.dim(), lex, 0, lex.length);
        for (dev.beex.model.LinearParams head : p.exitHeads) {
            for (int c = 0; c < config.numLabels(); c++) {
                double block = head.bias[c], zero = p.lexHead.bias[c];
                for (int k = 0; k < head.in; k++) {
                    block += head.weight[c * head.in + k] * input[k];
                }
                for (int k = 0; k < lex.length; k++) {
                    zero += p.lexHead.weight[c * lex.length + k] * lex[k];
                }
                assertThat(block).isCloseTo(zero, org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    /** A stored model (artifact form) trained for one epoch on part of the sentences split, for the warm-start tests. */
    private static ModelArtifact storedSmallModel(List<LabeledText> train, List<LabeledText> dev) {
        TrainOptions o = tiny().withShape(16, 2, 2, 16, 16).withSchedule(1, 16, 3e-3f);
        TrainedModel m = new Trainer().train(train, dev, o.withLexical(o.lexical().withPretrainEpochs(1)), TrainingListener.NONE);
        return ArtifactWriter.create(m.params(), m.tokenizer(), m.labels(), m.exitRule(), Map.of());
    }

    /**
     * The warm-start model competes on dev with every epoch: trained on flipped labels, no epoch
     * can beat it, and the parameters that come out are exactly the stored ones it started from
     * (which also shows training starts from them, not from a fresh initialization).
     */
    @Test
    void warmStartNeverReturnsAModelWorseOnDevThanTheOneItStartedFrom() {
        List<LabeledText> train = TestDatasets.sentences("train").subList(0, 400);
        List<LabeledText> dev = TestDatasets.sentences("dev").subList(0, 80);
        ModelArtifact v1 = storedSmallModel(train, dev);
        List<LabeledText> flipped = new ArrayList<>();
        for (LabeledText t : train) {
            flipped.add(new LabeledText(t.id(), t.text(), t.label().equals("positive") ? "negative" : "positive"));
        }
        TrainOptions o = tiny().withShapeOf(v1.config()).withSchedule(2, 16, 3e-3f);
        List<String> log = new ArrayList<>();
        TrainedModel v2 = new Trainer().withLog(log::add).withWarmStart(WarmStart.of(v1, "v1"))
                .train(flipped, dev, o, TrainingListener.NONE);
        assertThat(v2.bestEpoch()).isZero();
        assertThat(log).anyMatch(l -> l.startsWith("warm start from v1: dev accuracy (last exit)"));
        List<Tensor> before = v1.params().tensors(), after = v2.params().tensors();
        for (int i = 0; i < before.size(); i++) {
            assertThat(java.util.Arrays.equals(before.get(i).data(), after.get(i).data())).as(before.get(i).name()).isTrue();
        }
        assertThat(v2.tokenizer()).isSameAs(v1.tokenizer());
    }

    /**
     * A warm start keeps the model's tokenizer and labels: a reviewed file that holds one label
     * only trains (a fresh run refuses it), and the model's label order is kept.
     */
    @Test
    void warmStartKeepsTheLabelsAndTokenizerAndTrainsOnAOneLabelReviewFile() {
        List<LabeledText> train = TestDatasets.sentences("train").subList(0, 400);
        List<LabeledText> dev = TestDatasets.sentences("dev").subList(0, 80);
        ModelArtifact v1 = storedSmallModel(train, dev);
        List<LabeledText> reviewed = TestDatasets.sentences("train").subList(400, 600).stream()
                .filter(t -> t.label().equals("positive")).toList();
        TrainOptions o = tiny().withShapeOf(v1.config()).withSchedule(1, 16, 1e-3f);
        TrainedModel v2 = new Trainer().withWarmStart(WarmStart.of(v1, "v1")).train(reviewed, dev, o, TrainingListener.NONE);
        assertThat(v2.labels()).isEqualTo(v1.labels());
        assertThat(v2.params().config).isEqualTo(v1.config());
        ModelArtifact stored = ArtifactWriter.create(v2.params(), v2.tokenizer(), v2.labels(), v2.exitRule(), Map.of());
        assertThat(stored.tokenizer().vocabSize()).isEqualTo(v1.tokenizer().vocabSize());
    }

    @Test
    void warmStartRefusesAnotherShapeUnknownLabelsAndLexicalPreTraining() {
        List<LabeledText> train = TestDatasets.sentences("train").subList(0, 200);
        List<LabeledText> dev = TestDatasets.sentences("dev").subList(0, 40);
        ModelArtifact v1 = storedSmallModel(train, dev);
        Trainer warm = new Trainer().withWarmStart(WarmStart.of(v1, "v1.beex"));
        TrainOptions same = tiny().withShapeOf(v1.config()).withSchedule(1, 16, 3e-3f);
        assertThatThrownBy(() -> warm.train(train, dev, same.withShape(32, 2, 2, 16, 16), TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keeps the model's shape");
        assertThatThrownBy(() -> warm.train(train, dev, same.withLexical(same.lexical().withPretrainEpochs(2)),
                TrainingListener.NONE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already trained");
        List<LabeledText> neutral = List.of(new LabeledText("n1", "it is a phone", "neutral"));
        assertThatThrownBy(() -> warm.train(neutral, dev, same, TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label 'neutral' is not one of the labels of v1.beex");
    }

    @Test
    void floatPrecisionTrainsToo() {
        List<LabeledText> train = TestDatasets.sentences("train").subList(0, 200);
        List<LabeledText> dev = TestDatasets.sentences("dev").subList(0, 50);
        TrainedModel m = new Trainer().train(train, dev,
                tiny().withShape(16, 2, 2, 16, 16).withSchedule(1, 16, 3e-3f).withPrecision(Precision.FLOAT),
                TrainingListener.NONE);
        assertThat(m.params().config.precision()).isEqualTo(Precision.FLOAT);
        assertThat(m.bestEpoch()).isEqualTo(1);
    }

    @Test
    void unknownDevLabelsAndSingleLabelTrainingAreRefused() {
        List<LabeledText> train = TestDatasets.sentences("train").subList(0, 50);
        List<LabeledText> dev = List.of(new LabeledText("d1", "fine", "neutral"));
        assertThatThrownBy(() -> new Trainer().train(train, dev, tiny(), TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'d1'").hasMessageContaining("label 'neutral'");
        List<LabeledText> oneLabel = List.of(new LabeledText("a", "x", "p"), new LabeledText("b", "y", "p"));
        assertThatThrownBy(() -> new Trainer().train(oneLabel, oneLabel, tiny(), TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 distinct label");
    }

    @Test
    void exitWeightsAndScheduleFollowTheOptions() {
        assertThat(TrainOptions.exitWeights("linear", 3)).containsExactly(1f / 6, 2f / 6, 3f / 6);
        assertThat(TrainOptions.exitWeights("uniform", 2)).containsExactly(0.5f, 0.5f);
        assertThat(TrainOptions.exitWeights("0,1", 2)).containsExactly(0f, 1f);
        assertThatThrownBy(() -> TrainOptions.exitWeights("1,x", 2)).hasMessageContaining("'x' is not a number");
        TrainOptions auto = TrainOptions.defaults();
        assertThat(auto.epochsFor(2369)).isEqualTo(5);
        assertThat(auto.epochsFor(4800)).isEqualTo(2);
        assertThat(auto.epochsFor(40000)).isEqualTo(1);
        assertThat(auto.epochsFor(100)).isEqualTo(TrainOptions.AUTO_MAX_EPOCHS);
        assertThat(auto.withSchedule(3, 8, 0.01f).epochsFor(100)).isEqualTo(3);
        TrainOptions o = TrainOptions.defaults().withSchedule(1, 8, 0.01f);
        assertThat(Trainer.learningRate(o, 1, 10, 100)).isCloseTo(0.001f, org.assertj.core.api.Assertions.within(1e-9f));
        assertThat(Trainer.learningRate(o, 10, 10, 100)).isEqualTo(0.01f);
        assertThat(Trainer.learningRate(o, 55, 10, 100)).isCloseTo(0.005f, org.assertj.core.api.Assertions.within(1e-6f));
        assertThat(Trainer.learningRate(o, 100, 10, 100)).isCloseTo(0f, org.assertj.core.api.Assertions.within(1e-9f));
    }

    @Test
    void tokenDropoutLeavesTokensOutInOrderAndNeverEmptiesASequence() {
        int[] ids = new int[200];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1000 + i;
        }
        int[] kept = new int[ids.length];
        int n = Trainer.dropTokens(ids, 0.25f, new dev.beex.model.nn.Rng(7), kept);
        assertThat(n).isBetween(120, 180);                  // about 150 of 200 kept
        for (int i = 1; i < n; i++) {
            assertThat(kept[i]).isGreaterThan(kept[i - 1]);  // order kept, nothing duplicated
        }
        assertThat(Trainer.dropTokens(ids, 0f, new dev.beex.model.nn.Rng(7), kept)).isEqualTo(ids.length);
        assertThat(kept).containsExactly(ids);
        int[] one = {42};
        for (int seed = 0; seed < 50; seed++) {
            assertThat(Trainer.dropTokens(one, 0.99f, new dev.beex.model.nn.Rng(seed), kept)).isEqualTo(1);
            assertThat(kept[0]).isEqualTo(42);
        }
        assertThatThrownBy(() -> TrainOptions.defaults().withTokenDropout(1f)).hasMessageContaining("token dropout");
    }
}
