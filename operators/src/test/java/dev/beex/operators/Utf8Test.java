package dev.beex.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class Utf8Test {
    private static final List<String> SAMPLES = List.of("", "abc", "é", "€", "𝄞", "a€𝄞é");

    private static int encoded(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void lengthCountsEncodedBytes() {
        for (String s : SAMPLES) {
            assertThat(Utf8.length(s)).as(s).isEqualTo(encoded(s));
        }
    }

    @Test
    void prefixEndIsTheLongestPrefixWithinTheBoundAndKeepsPairsWhole() {
        for (String s : SAMPLES) {
            for (int max = 0; max <= encoded(s) + 1; max++) {
                int end = Utf8.prefixEnd(s, max);
                assertThat(encoded(s.substring(0, end))).as("%s within %d", s, max).isLessThanOrEqualTo(max);
                if (end < s.length()) {
                    int next = Character.isHighSurrogate(s.charAt(end)) && end + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(end + 1)) ? end + 2 : end + 1;
                    assertThat(encoded(s.substring(0, next))).as("%s one more char beyond %d", s, max).isGreaterThan(max);
                }
            }
        }
        assertThat(Utf8.prefixEnd("a𝄞", 4)).isEqualTo(1);   // not in the middle of the pair
    }
}
