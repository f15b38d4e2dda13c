package dev.beex.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TermTableTest {

    @Test
    void findsEveryTermFromACharSliceThroughManyGrowths() {
        TermTable table = new TermTable(4);
        Map<String, Integer> expected = new HashMap<>();
        Random r = new Random(1);
        for (int id = 0; id < 20_000; id++) {
            String t = Long.toString(r.nextLong() & 0xFFFFFFFFFL, 36);
            if (table.put(t, id)) {
                expected.put(t, id);
            } else {
                assertThat(expected).containsKey(t);
            }
        }
        char[] buf = new char[64];
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            String t = e.getKey();
            t.getChars(0, t.length(), buf, 5); // looked up at an offset inside a bigger buffer
            assertThat(table.get(buf, 5, t.length())).isEqualTo(e.getValue());
            assertThat(table.get(buf, 5, t.length() - 1)).isNotEqualTo(e.getValue());
        }
        assertThat(table.size()).isEqualTo(expected.size());
        assertThat(table.get("ABSENT".toCharArray(), 0, 6)).isEqualTo(-1);
        assertThat(table.put(expected.keySet().iterator().next(), 99_999)).isFalse();
    }

    @Test
    void internNumbersNewTermsInOrder() {
        TermTable t = new TermTable(2);
        char[] w = "abcabc".toCharArray();
        assertThat(t.intern(w, 0, 3)).isZero();
        assertThat(t.intern(w, 1, 2)).isEqualTo(1);
        assertThat(t.intern(w, 3, 3)).isZero();   // "abc" again
        assertThat(t.term(1)).isEqualTo("bc");
        assertThat(t.size()).isEqualTo(2);
    }
}
