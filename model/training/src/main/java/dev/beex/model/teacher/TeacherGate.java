package dev.beex.model.teacher;

import java.util.Locale;

/**
 * Whether a teacher is worth learning from: its own head against the student's pre-trained lexical
 * exit 0, record by record on the dev split. The teacher is used only when it is clearly the better
 * of the two: {@code b − c > √(b + c)}, where b counts the dev records its head gets right and exit 0
 * wrong and c the reverse (the paired test the exit calibration uses for ties).
 *
 * <p>Why a gate: the student only absorbs what the teacher knows beyond the hashed n-grams. On
 * sentences dev the head reaches 0.899 against exit 0's 0.84 and distillation lifts the student from
 * 0.842 to 0.859; on spam (head 0.950 against 0.993) and imdb (0.777 against 0.894) it cost the
 * student 0.5 and 0.7 points. Comparing the two on dev sees that before any block is trained.
 */
public final class TeacherGate {
    private TeacherGate() {
    }

    /**
     * @param teacherAccuracy  dev accuracy of the teacher's head
     * @param exitZeroAccuracy dev accuracy of the pre-trained exit 0
     * @param teacherOnly      b: dev records only the teacher's head gets right
     * @param exitZeroOnly     c: dev records only exit 0 gets right
     */
    public record Verdict(double teacherAccuracy, double exitZeroAccuracy, int teacherOnly, int exitZeroOnly) {
        /** The teacher is clearly better: {@code b − c > √(b + c)}. */
        public boolean useTeacher() {
            return teacherOnly - exitZeroOnly > Math.sqrt(teacherOnly + exitZeroOnly);
        }

        /** One line for the training log. */
        public String describe(String teacherId) {
            return String.format(Locale.ROOT, "teacher %s: %s (dev: its head %.4f, the pre-trained lexical exit 0 %.4f; "
                            + "head alone right on %d records, exit 0 alone on %d; used when the difference exceeds √(sum) = %.1f)",
                    teacherId, useTeacher() ? "used" : "not used", teacherAccuracy, exitZeroAccuracy, teacherOnly, exitZeroOnly,
                    Math.sqrt(teacherOnly + exitZeroOnly));
        }
    }

    /** Judges the two predictions of every dev record against its gold label. */
    public static Verdict judge(int[] teacherPredictions, int[] exitZeroPredictions, int[] gold) {
        int n = gold.length;
        if (teacherPredictions.length != n || exitZeroPredictions.length != n || n == 0) {
            throw new IllegalArgumentException("teacher gate: " + teacherPredictions.length + " teacher and "
                    + exitZeroPredictions.length + " exit-0 predictions for " + n + " dev records");
        }
        int teacherRight = 0, exitZeroRight = 0, b = 0, c = 0;
        for (int r = 0; r < n; r++) {
            boolean t = teacherPredictions[r] == gold[r], e = exitZeroPredictions[r] == gold[r];
            teacherRight += t ? 1 : 0;
            exitZeroRight += e ? 1 : 0;
            b += t && !e ? 1 : 0;
            c += e && !t ? 1 : 0;
        }
        return new Verdict((double) teacherRight / n, (double) exitZeroRight / n, b, c);
    }
}
