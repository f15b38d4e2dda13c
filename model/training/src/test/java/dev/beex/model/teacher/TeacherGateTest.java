package dev.beex.model.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TeacherGateTest {

    /** gold is all 0; a prediction of 0 is right, 1 wrong. Rows: teacher predictions, exit-0 predictions, gold. */
    private static int[][] predictions(int both, int teacherOnly, int exitZeroOnly, int neither) {
        int[][] groups = {{both, 0, 0}, {teacherOnly, 0, 1}, {exitZeroOnly, 1, 0}, {neither, 1, 1}};
        int n = both + teacherOnly + exitZeroOnly + neither;
        int[] teacher = new int[n], exitZero = new int[n];
        int i = 0;
        for (int[] g : groups) {
            for (int k = 0; k < g[0]; k++, i++) {
                teacher[i] = g[1];
                exitZero[i] = g[2];
            }
        }
        return new int[][] {teacher, exitZero, new int[n]};
    }

    @Test
    void usesTheTeacherOnlyWhenItsLeadExceedsOneStandardErrorOfThePairedDifference() {
        // b = 30, c = 10: 20 > √40 = 6.3
        int[][] p = predictions(250, 30, 10, 36);
        TeacherGate.Verdict v = TeacherGate.judge(p[0], p[1], p[2]);
        assertThat(v.useTeacher()).isTrue();
        assertThat(v.teacherOnly()).isEqualTo(30);
        assertThat(v.exitZeroOnly()).isEqualTo(10);
        assertThat(v.teacherAccuracy()).isEqualTo(280.0 / 326);
        assertThat(v.exitZeroAccuracy()).isEqualTo(260.0 / 326);
        assertThat(v.describe("t")).startsWith("teacher t: used (dev: its head 0.8589, the pre-trained lexical exit 0 0.7975;");

        // b = 13, c = 7: 6 > √20 = 4.47; b = 12, c = 8: 4 < √20
        int[][] just = predictions(100, 13, 7, 10);
        assertThat(TeacherGate.judge(just[0], just[1], just[2]).useTeacher()).isTrue();
        int[][] noise = predictions(100, 12, 8, 10);
        assertThat(TeacherGate.judge(noise[0], noise[1], noise[2]).useTeacher()).as("a lead inside the noise").isFalse();
        // the same lead the other way round: exit 0 better, teacher not used
        int[][] worse = predictions(250, 10, 30, 36);
        TeacherGate.Verdict w = TeacherGate.judge(worse[0], worse[1], worse[2]);
        assertThat(w.useTeacher()).isFalse();
        assertThat(w.describe("t")).startsWith("teacher t: not used");
        // identical predictions: nothing to gain
        int[][] same = predictions(50, 0, 0, 10);
        assertThat(TeacherGate.judge(same[0], same[1], same[2]).useTeacher()).isFalse();
    }

    @Test
    void refusesPredictionsOfAnotherSplit() {
        assertThatThrownBy(() -> TeacherGate.judge(new int[3], new int[2], new int[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 teacher and 2 exit-0 predictions for 3");
    }
}
