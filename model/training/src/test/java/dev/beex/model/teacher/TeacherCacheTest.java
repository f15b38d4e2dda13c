package dev.beex.model.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeacherCacheTest {

    @Test
    void roundTripKeepsEveryFloatAndTermInOrder(@TempDir Path dir) throws IOException {
        Path data = Files.writeString(dir.resolve("train.jsonl"), "{\"id\":\"1\",\"text\":\"a b\",\"label\":\"x\"}\n");
        String sha = TeacherCache.sha256(data);
        float[][] records = {{1f, -0f, Float.MIN_VALUE}, {0.25f, -3.5e-7f, 1e30f}};
        Map<String, float[]> terms = new LinkedHashMap<>();
        terms.put("héllo", new float[] {0.1f, 0.2f, 0.3f});
        terms.put("##ing", new float[] {-1f, 0f, 1f});
        Path cache = dir.resolve("cache");
        Path written = TeacherCache.write(cache, new TeacherCache.Outputs("t1", sha, 3, records, terms));
        assertThat(written.getFileName().toString()).isEqualTo(sha + ".t1.bxtc");
        assertThat(TeacherCache.find(cache, data)).isEqualTo(written);

        TeacherCache.Outputs back = TeacherCache.read(written);
        assertThat(back.teacherId()).isEqualTo("t1");
        assertThat(back.sourceSha256()).isEqualTo(sha);
        assertThat(back.dim()).isEqualTo(3);
        assertThat(back.records()).isDeepEqualTo(records);
        assertThat(back.terms()).containsOnlyKeys("héllo", "##ing");
        assertThat(back.terms().keySet()).containsExactly("héllo", "##ing");
        assertThat(back.terms().get("##ing")).containsExactly(-1f, 0f, 1f);
        try (var s = Files.list(cache)) {
            assertThat(s.count()).as("no temporary file left").isEqualTo(1);
        }
    }

    @Test
    void findRefusesAnotherFileAndAGarbledCache(@TempDir Path dir) throws IOException {
        Path data = Files.writeString(dir.resolve("train.jsonl"), "x");
        Path other = Files.writeString(dir.resolve("other.jsonl"), "y");
        Path cache = dir.resolve("cache");
        TeacherCache.write(cache, new TeacherCache.Outputs("t", TeacherCache.sha256(other), 1, new float[][] {{1f}}, Map.of()));
        assertThatThrownBy(() -> TeacherCache.find(cache, data)).isInstanceOf(IOException.class)
                .hasMessageContaining("no teacher outputs for train.jsonl").hasMessageContaining("beex teacher --data");
        Path bad = Files.writeString(dir.resolve("bad.bxtc"), "not a cache");
        assertThatThrownBy(() -> TeacherCache.read(bad)).isInstanceOf(IOException.class).hasMessageContaining("bad magic");
    }

    @Test
    void sha256OfKnownBytes(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("abc"), "abc");
        assertThat(TeacherCache.sha256(f)).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
