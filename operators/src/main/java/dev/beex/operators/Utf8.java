package dev.beex.operators;

/**
 * UTF-8 sizes of Java strings without encoding them (no allocation on the record path): the
 * size bounds of {@link RecordLimits} and the hold buffer are in UTF-8 bytes, the texts are
 * strings. A surrogate pair counts 4 bytes; an unpaired surrogate 3 (at least what any encoder
 * writes for it, so a bound checked with these counts still holds).
 */
public final class Utf8 {
    private Utf8() {
    }

    /** Bytes {@code s} takes in UTF-8. */
    public static int length(String s) {
        int n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            boolean pair = isPair(s, i);
            n += width(s.charAt(i), pair);
            if (pair) {
                i++;
            }
        }
        return n;
    }

    /** The largest char index whose prefix encodes to at most {@code maxBytes} of UTF-8 (pairs kept whole). */
    public static int prefixEnd(String s, int maxBytes) {
        int n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            boolean pair = isPair(s, i);
            int width = width(s.charAt(i), pair);
            if (n + width > maxBytes) {
                return i;
            }
            n += width;
            if (pair) {
                i++;
            }
        }
        return s.length();
    }

    private static boolean isPair(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }

    /** Bytes of the code point starting with {@code c} ({@code pair}: c and the next char are a surrogate pair). */
    private static int width(char c, boolean pair) {
        return c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    }
}
