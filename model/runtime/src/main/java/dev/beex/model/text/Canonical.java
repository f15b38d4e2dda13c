package dev.beex.model.text;

/**
 * The canonical form of an out-of-vocabulary word, undoing the common obfuscations of
 * moderation text on a char buffer (no allocation): look-alike Cyrillic and Greek letters
 * and leetspeak digits back to Latin letters, separators dropped, long runs squeezed.
 */
final class Canonical {
    // Cyrillic and Greek lower-case letters that look like Latin ones (after Lucene's lower-casing).
    private static final String HOMOGLYPHS_FROM = "аеорсхуіјѕԁһкмтвνοατρικεχ";
    private static final String HOMOGLYPHS_TO = "aeopcxyijsdhkmtbvoatpikex";

    private Canonical() {
    }

    /** Digits with optional {@code . , :} separators ("2002", "1,000.50", "13:17"). */
    static boolean isNumber(char[] w, int len) {
        boolean digit = false;
        for (int i = 0; i < len; i++) {
            char c = w[i];
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '.' && c != ',' && c != ':') {
                return false;
            }
        }
        return digit;
    }

    /**
     * Writes {@code w} to {@code out} ({@code out.length >= len}) with separators
     * {@code . ' ’ _ -} dropped, look-alike letters mapped to Latin, and, when the word has a
     * letter, 0→o 1→i 3→e 4→a 5→s 7→t. Returns the new length.
     */
    static int canonicalize(char[] w, int len, char[] out) {
        boolean letter = false;
        for (int i = 0; i < len; i++) {
            if (Character.isLetter(w[i])) {
                letter = true;
                break;
            }
        }
        int n = 0;
        for (int i = 0; i < len; i++) {
            char c = w[i];
            if (c == '.' || c == '\'' || c == '_' || c == '-' || c == '\u2019') {
                continue;
            }
            if (c >= 0x370) {
                int k = HOMOGLYPHS_FROM.indexOf(c);
                if (k >= 0) {
                    c = HOMOGLYPHS_TO.charAt(k);
                }
            } else if (letter) {
                switch (c) {
                    case '0': c = 'o'; break;
                    case '1': c = 'i'; break;
                    case '3': c = 'e'; break;
                    case '4': c = 'a'; break;
                    case '5': c = 's'; break;
                    case '7': c = 't'; break;
                    default: break;
                }
            }
            out[n++] = c;
        }
        return n;
    }

    /** Squeezes runs longer than {@code keep} equal chars down to {@code keep}, in place. Returns the new length. */
    static int squeeze(char[] w, int len, int keep) {
        int n = 0, run = 0;
        for (int i = 0; i < len; i++) {
            run = (n > 0 && w[n - 1] == w[i]) ? run + 1 : 1;
            if (run <= keep) {
                w[n++] = w[i];
            }
        }
        return n;
    }
}
