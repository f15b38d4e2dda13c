package dev.beex.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.beex.model.teacher.TeacherCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real quantized model, loaded from its jar on the classpath (no network), on a few short texts. */
class TeacherMainTest {

    @Test
    void embedsShortTextsAsUnitVectorsThatKeepMeaning() {
        SentenceEncoder e = new SentenceEncoder(SentenceEncoder.MINILM_Q, 1000);
        float[][] v = e.embed(List.of("the film was wonderful", "a truly great movie", "my printer is out of toner", "  ",
                "\u200b\u0001"));
        assertThat(v[0]).hasSize(SentenceEncoder.DIM);
        assertThat(norm(v[0])).isCloseTo(1.0, within(1e-3));
        assertThat(dot(v[0], v[1])).as("two sentences about a good film are closer than film vs printer")
                .isGreaterThan(dot(v[0], v[2]) + 0.2);
        assertThat(norm(v[3])).as("a blank text gets the zero vector").isEqualTo(0.0);
        assertThat(norm(v[4])).as("so does one of only zero-width and control characters").isEqualTo(0.0);
        assertThat(norm(v[1])).as("the rest of a batch with such a text is embedded").isCloseTo(1.0, within(1e-3));
        assertThat(e.id()).isEqualTo("all-minilm-l6-v2-q-c1000");
    }

    @Test
    void writesTheCacheOnceWithRecordsAndVocabularyWords(@TempDir Path dir) throws Exception {
        Path data = Files.writeString(dir.resolve("train.jsonl"), """
                {"id":"1","text":"good good film","label":"pos"}
                {"id":"2","text":"bad film","label":"neg"}
                {"id":"3","text":"good acting, bad plot","label":"neg"}
                """);
        Path out = dir.resolve("cache");
        TeacherMain words = new TeacherMain();
        words.data = data;
        words.out = out;
        words.wordsOnly = true;
        assertThat(words.call()).isZero();
        assertThat(TeacherCache.read(TeacherCache.find(out, data)).records()).isEmpty();
        TeacherMain cmd = new TeacherMain();
        cmd.data = data;
        cmd.out = out;
        assertThat(cmd.call()).isZero();   // a words-only cache does not count as cached when records are asked for
        Path file = TeacherCache.find(out, data);
        long written = Files.getLastModifiedTime(file).toMillis();
        TeacherCache.Outputs o = TeacherCache.read(file);
        assertThat(o.records()).hasNumberOfRows(3);
        assertThat(o.dim()).isEqualTo(SentenceEncoder.DIM);
        assertThat(o.terms()).containsKeys("good", "film", "bad");
        assertThat(dot(o.terms().get("good"), o.records()[0])).isGreaterThan(0.3);
        assertThat(cmd.call()).isZero();   // second run: cached, not recomputed
        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(written);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }
}
