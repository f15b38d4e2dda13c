package dev.beex.model.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one split rule (docs/data-tokenizer-eval.md), so every number is comparable across tools:
 * <ol>
 *   <li>normalize: Unicode NFC, collapse every run of whitespace to one space, trim
 *       ({@link #normalize}; whitespace is the set Python's {@code str.split()} uses);</li>
 *   <li>drop empty texts, drop exact duplicates of the normalized text (the first one stays);</li>
 *   <li>bucket = first 8 hex digits of SHA-256(normalized text, UTF-8) as an unsigned number,
 *       mod 10: 0-7 train, 8 dev, 9 test.</li>
 * </ol>
 * The records that come out carry the normalized text.
 */
public final class CanonicalSplits {
    public static final List<String> NAMES = List.of("train", "dev", "test");

    /** Spam texts are cut to this many characters (Unicode code points). */
    public static final int SPAM_MAX_CHARS = 2000;

    // A tag starts with a letter, '/', '!' or '?': "a < b" in plain text survives.
    private static final Pattern HTML_TAG = Pattern.compile("<[A-Za-z/!?][^<>]*>");

    /** The three splits of one data set, each in input order. */
    public record Splits(List<LabeledText> train, List<LabeledText> dev, List<LabeledText> test) {
        public List<LabeledText> get(String name) {
            switch (name) {
                case "train": return train;
                case "dev": return dev;
                case "test": return test;
                default: throw new IllegalArgumentException("unknown split '" + name + "' (train, dev, test)");
            }
        }

        public int size() {
            return train.size() + dev.size() + test.size();
        }
    }

    private CanonicalSplits() {
    }

    /** Python's {@code str.isspace()} set: Java whitespace ∪ Unicode space separators ∪ U+0085. */
    public static boolean isWhitespace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    /** NFC, whitespace runs collapsed to one space, trimmed. */
    public static String normalize(String text) {
        return collapseWhitespace(Normalizer.normalize(text, Normalizer.Form.NFC));
    }

    /** Every whitespace run becomes one space; leading and trailing whitespace goes. */
    public static String collapseWhitespace(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean pendingSpace = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isWhitespace(c)) {
                pendingSpace = sb.length() > 0;
            } else {
                if (pendingSpace) {
                    sb.append(' ');
                    pendingSpace = false;
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** 0..9: the first 4 bytes of SHA-256(UTF-8) as an unsigned big-endian number, mod 10. */
    public static int bucket(String normalized) {
        byte[] h = sha256().digest(normalized.getBytes(StandardCharsets.UTF_8));
        long first = ((h[0] & 0xFFL) << 24) | ((h[1] & 0xFFL) << 16) | ((h[2] & 0xFFL) << 8) | (h[3] & 0xFFL);
        return (int) (first % 10);
    }

    /** "train" for buckets 0-7, "dev" for 8, "test" for 9. */
    public static String splitOf(String normalized) {
        int b = bucket(normalized);
        return b <= 7 ? "train" : b == 8 ? "dev" : "test";
    }

    /** Normalizes, drops empties and later duplicates, and buckets the records (input order kept). */
    public static Splits split(Iterable<LabeledText> records) {
        List<LabeledText> train = new ArrayList<>(), dev = new ArrayList<>(), test = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (LabeledText r : records) {
            String text = normalize(r.text());
            if (text.isEmpty() || !seen.add(text)) {
                continue;
            }
            LabeledText out = new LabeledText(r.id(), text, r.label());
            switch (splitOf(text)) {
                case "train": train.add(out); break;
                case "dev": dev.add(out); break;
                default: test.add(out);
            }
        }
        return new Splits(train, dev, test);
    }

    /**
     * The text of a raw email: the Subject header's value (continuation lines unfolded), a
     * newline, then the body after the first blank line with HTML tags replaced by a space;
     * whitespace collapsed in both parts; cut to the first {@value #SPAM_MAX_CHARS} code points.
     * MIME parts, quoted-printable and encoded words are left as they are (the rule says so).
     */
    public static String spamText(String rawEmail) {
        String email = rawEmail.replace("\r\n", "\n").replace('\r', '\n');
        String subject = "";
        boolean inSubject = false;
        int pos = 0;
        int bodyStart = email.length();
        while (pos < email.length()) {
            int eol = email.indexOf('\n', pos);
            if (eol < 0) {
                eol = email.length();
            }
            String line = email.substring(pos, eol);
            pos = eol + 1;
            if (line.isBlank()) {
                bodyStart = Math.min(pos, email.length());
                break;
            }
            boolean continuation = line.charAt(0) == ' ' || line.charAt(0) == '\t';
            if (continuation) {
                if (inSubject) {
                    subject = subject + " " + line.trim();
                }
                continue;
            }
            inSubject = false;
            if (subject.isEmpty() && line.regionMatches(true, 0, "Subject:", 0, 8)) {
                subject = line.substring(8).trim();
                inSubject = true;
            }
        }
        String body = HTML_TAG.matcher(email.substring(bodyStart)).replaceAll(" ");
        String text = collapseWhitespace(subject) + "\n" + collapseWhitespace(body);
        return cutCodePoints(text, SPAM_MAX_CHARS);
    }

    /** An IMDB review: {@code <br />} replaced by a space. */
    public static String imdbText(String raw) {
        return raw.replace("<br />", " ");
    }

    private static String cutCodePoints(String s, int maxCodePoints) {
        if (s.codePointCount(0, s.length()) <= maxCodePoints) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, maxCodePoints));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
