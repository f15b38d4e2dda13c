package dev.beex.model.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CanonicalSplitsTest {

    @Test
    void normalizationIsNfcTrimAndCollapsedWhitespace() {
        // "e" + combining acute (NFD) becomes the single code point é (NFC)
        assertThat(CanonicalSplits.normalize("  Caf\u0065\u0301 \t\n  au\u00a0lait \u3000 ")).isEqualTo("Caf\u00e9 au lait");
        assertThat(CanonicalSplits.normalize(" \t\r\n ")).isEmpty();
    }

    @Test
    void bucketIsFirstEightHexDigitsOfSha256Mod10() {
        // Hand-computed: sha256("hello") = 2cf24dba5fb0a30e...; 0x2cf24dba = 754077114 -> 4 (train)
        assertThat(CanonicalSplits.bucket("hello")).isEqualTo(4);
        assertThat(CanonicalSplits.splitOf("hello")).isEqualTo("train");
        // sha256("abc") = ba7816bf...; 0xba7816bf = 3128432319 (above 2^31: unsigned) -> 9 (test)
        assertThat(CanonicalSplits.bucket("abc")).isEqualTo(9);
        assertThat(CanonicalSplits.splitOf("abc")).isEqualTo("test");
        // sha256("") = e3b0c442...; 0xe3b0c442 = 3820012610 -> 0
        assertThat(CanonicalSplits.bucket("")).isEqualTo(0);
        // sha256("The mic is great.") = 93f69d90...; 0x93f69d90 = 2482412944 -> 4 (train)
        assertThat(CanonicalSplits.bucket("The mic is great.")).isEqualTo(4);
    }

    @Test
    void splitDropsEmptiesAndLaterDuplicatesOfTheNormalizedTextAndKeepsNormalizedText() {
        List<LabeledText> in = List.of(
                new LabeledText("1", "  hello  ", "a"),
                new LabeledText("2", "   ", "a"),
                new LabeledText("3", "hello", "b"),          // duplicate after normalization: dropped
                new LabeledText("4", "abc", "b"),
                new LabeledText("5", "h\u0065\u0301llo", "a"));  // NFC differs from "hello": kept
        CanonicalSplits.Splits s = CanonicalSplits.split(in);
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.train()).extracting(LabeledText::id).contains("1");
        assertThat(s.train().get(0)).isEqualTo(new LabeledText("1", "hello", "a"));
        assertThat(s.test()).containsExactly(new LabeledText("4", "abc", "b"));
    }

    @Test
    void spamTextIsSubjectNewlineBodyWithoutTagsCollapsedAndCut() {
        String email = "From someone  Thu Aug 22 2002\r\n"
                + "Received: from x\r\n\tby y\r\n"
                + "subject: Cheap   v1agra\r\n"
                + "  now!\r\n"
                + "Subject: second subject ignored\r\n"
                + "Content-Type: text/html\r\n"
                + "\r\n"
                + "<HTML><BODY><p>Buy</p><b>now</b>,\r\n\r\n a < b <!-- hidden --> end</BODY></HTML>\r\n";
        assertThat(CanonicalSplits.spamText(email)).isEqualTo("Cheap v1agra now!\nBuy now , a < b end");
        String noSubject = "To: x\n\nBody only";
        assertThat(CanonicalSplits.spamText(noSubject)).isEqualTo("\nBody only");
        String longBody = "Subject: s\n\n" + "ab ".repeat(2000);
        String cut = CanonicalSplits.spamText(longBody);
        assertThat(cut).hasSize(CanonicalSplits.SPAM_MAX_CHARS).startsWith("s\nab ab");
    }

    @Test
    void imdbBreaksBecomeSpaces() {
        assertThat(CanonicalSplits.normalize(CanonicalSplits.imdbText("Great.<br /><br />Loved it")))
                .isEqualTo("Great. Loved it");
    }

    @Test
    void committedSentenceSplitsFollowTheRule() {
        for (String split : CanonicalSplits.NAMES) {
            List<LabeledText> data = TestDatasets.sentences(split);
            assertThat(data).isNotEmpty();
            for (LabeledText r : data) {
                assertThat(CanonicalSplits.normalize(r.text())).isEqualTo(r.text());
                assertThat(CanonicalSplits.splitOf(r.text())).as(r.id()).isEqualTo(split);
                assertThat(r.label()).isIn("negative", "positive");
            }
        }
        assertThat(TestDatasets.sentences("train")).hasSize(2369);
        assertThat(TestDatasets.sentences("dev")).hasSize(326);
        assertThat(TestDatasets.sentences("test")).hasSize(287);
        Set<String> all = CanonicalSplits.NAMES.stream().flatMap(s -> TestDatasets.sentences(s).stream())
                .map(LabeledText::text).collect(Collectors.toSet());
        assertThat(all).hasSize(2369 + 326 + 287); // no text in two splits, no duplicates
    }

    @Test
    void committedSpamTestSplitFollowsTheRule() {
        List<LabeledText> spam = TestDatasets.spamTest();
        assertThat(spam).hasSize(579);
        for (LabeledText r : spam) {
            assertThat(CanonicalSplits.splitOf(r.text())).isEqualTo("test");
            assertThat(r.text().codePointCount(0, r.text().length())).isLessThanOrEqualTo(CanonicalSplits.SPAM_MAX_CHARS);
            assertThat(r.label()).isEqualTo(r.id().startsWith("spam") ? "spam" : "ham");
        }
        assertThat(spam.stream().filter(r -> r.label().equals("spam")).count()).isBetween(100L, 300L);
    }
}
