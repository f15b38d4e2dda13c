package dev.beex.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The documented feature set and hash of the lexical path (model/README.md, "Lexical path"). */
class LexicalFeaturesTest {

    @Test
    void hashIsThirtyTwoBitFnv1aOverUtf16CodeUnits() {
        // the published FNV-1a 32-bit test vectors (ASCII: one code unit per byte)
        assertThat(LexicalFeatures.hash("")).isEqualTo(0x811c9dc5);
        assertThat(LexicalFeatures.hash("a")).isEqualTo(0xe40c292c);
        assertThat(LexicalFeatures.hash("foobar")).isEqualTo(0xbf9cf968);
    }

    @Test
    void wordsBigramsThenCharGramsOfPaddedChunks() {
        int buckets = 1 << 20;
        LexicalFeatures f = new LexicalFeatures(buckets);
        int m = f.extract("Hi, FREE!");
        // words hi, free: 2 unigrams + 1 bigram; chunks "<hi,>" (3 + 2 + 1 grams) and "<free!>" (5 + 4 + 3)
        assertThat(m).isEqualTo(3 + 6 + 12);
        int[] got = Arrays.copyOf(f.features(), m);
        assertThat(got[0]).isEqualTo(bucket("whi", buckets));
        assertThat(got[1]).isEqualTo(bucket("wfree", buckets));
        assertThat(got[2]).isEqualTo(bucket("bhi free", buckets));
        assertThat(got[3]).isEqualTo(bucket("c<hi", buckets));
        assertThat(got[8]).isEqualTo(bucket("c<hi,>", buckets));
        assertThat(got[9]).isEqualTo(bucket("c<fr", buckets));
        assertThat(got[m - 1]).isEqualTo(bucket("cree!>", buckets));
    }

    @Test
    void lowerCasesAndIsDeterministicAcrossInstances() {
        LexicalFeatures a = new LexicalFeatures(1 << 15), b = new LexicalFeatures(1 << 15);
        int m = a.extract("FREE v1agra $$$ NOW");
        assertThat(b.extract("free V1AGRA $$$ now")).isEqualTo(m);
        assertThat(Arrays.copyOf(b.features(), m)).isEqualTo(Arrays.copyOf(a.features(), m));
        for (int i = 0; i < m; i++) {
            assertThat(a.features()[i]).isBetween(0, (1 << 15) - 1);
        }
    }

    @Test
    void emptyTextHasOneFeatureAndLongTextsAreCapped() {
        LexicalFeatures f = new LexicalFeatures(97);
        assertThat(f.extract("")).isEqualTo(1);
        assertThat(f.features()[0]).isEqualTo(Integer.remainderUnsigned(0x811c9dc5, 97));
        assertThat(f.extract("   \n\t ")).isEqualTo(1);
        String huge = "supercalifragilisticexpialidocious-and-more ".repeat(5000);
        int m = f.extract(huge);
        assertThat(m).isLessThanOrEqualTo(LexicalFeatures.MAX_FEATURES);
        // 1024 chunks of 24 chars each: 69 grams; words: the first 1024 runs of letters
        assertThat(m).isEqualTo(1024 + 1023 + 1024 * 69);
    }

    @Test
    void extractingAllocatesNothingOnceWarm() {
        LexicalFeatures f = new LexicalFeatures(1 << 15);
        String text = "Great phone, the battery lasts all day and the screen is sharp. 10/10 would buy again!";
        for (int i = 0; i < 5000; i++) {
            f.extract(text);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 1000; i++) {
            f.extract(text);
        }
        assertThat(mx.getThreadAllocatedBytes(tid) - before).isLessThan(1024);
    }

    private static int bucket(String feature, int buckets) {
        return Integer.remainderUnsigned(LexicalFeatures.hash(feature), buckets);
    }
}
