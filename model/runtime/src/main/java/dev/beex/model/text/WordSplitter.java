package dev.beex.model.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * Splits text into normalized words: Lucene's {@link StandardTokenizer} (Unicode UAX#29 word
 * boundaries; keeps "v1agra", "don't", "u.s.a" whole) → {@link LowerCaseFilter} →
 * {@link ASCIIFoldingFilter} ("café" → "cafe"). The standard tokenizer drops punctuation; a
 * few marks that carry signal in moderation text ({@value #KEPT_PUNCTUATION}) are kept as
 * one-character words, taken from the gaps between Lucene's tokens, at most
 * {@value #MAX_PUNCTUATION_RUN} of the same mark in a row ("!!!!!" → "!", "!", "!").
 *
 * <p>One instance per thread: the Lucene chain and all buffers are reused, so a steady-state
 * call allocates nothing per word. Usage: {@code start(text); while (next()) use(buffer(), length());}.
 */
final class WordSplitter {
    static final String KEPT_PUNCTUATION = "!?$%€£";
    static final int MAX_PUNCTUATION_RUN = 3;

    private final ReusableStringReader reader = new ReusableStringReader();
    private final StandardTokenizer tokenizer = new StandardTokenizer();
    private final TokenStream stream = new ASCIIFoldingFilter(new LowerCaseFilter(tokenizer));
    private final CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
    private final char[] punct = new char[1];

    private String text;
    private boolean open;
    private boolean luceneDone;
    private boolean tokenPending;   // a Lucene token waits behind the gap being scanned
    private int gapPos;
    private int gapEnd;
    private int lastEnd;
    private char runChar;
    private int runLength;
    private char[] current;
    private int currentLength;

    void start(String text) {
        finish();
        this.text = text;
        reader.setValue(text);
        try {
            tokenizer.setReader(reader);
            stream.reset();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        open = true;
        luceneDone = false;
        tokenPending = false;
        gapPos = gapEnd = lastEnd = 0;
        runLength = 0;
    }

    /** Moves to the next word; false at the end of the text. */
    boolean next() {
        if (!open) {
            return false;
        }
        try {
            while (true) {
                if (nextPunctuationInGap()) {
                    return true;
                }
                if (tokenPending) {
                    tokenPending = false;
                    runLength = 0;
                    current = term.buffer();
                    currentLength = term.length();
                    return true;
                }
                if (luceneDone) {
                    finish();
                    return false;
                }
                if (stream.incrementToken()) {
                    gapPos = lastEnd;
                    gapEnd = Math.min(offset.startOffset(), text.length());
                    lastEnd = Math.max(lastEnd, offset.endOffset());
                    tokenPending = term.length() > 0;
                } else {
                    luceneDone = true;
                    gapPos = lastEnd;
                    gapEnd = text.length();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    char[] buffer() {
        return current;
    }

    int length() {
        return currentLength;
    }

    /** Ends the current text early (e.g. the token budget is full) and releases the Lucene stream. */
    void finish() {
        if (open) {
            open = false;
            try {
                stream.end();
                stream.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            text = null;
        }
    }

    private boolean nextPunctuationInGap() {
        while (gapPos < gapEnd) {
            char c = text.charAt(gapPos++);
            if (KEPT_PUNCTUATION.indexOf(c) < 0) {
                if (!Character.isWhitespace(c)) {
                    runLength = 0;
                }
                continue;
            }
            if (runLength > 0 && c == runChar) {
                if (++runLength > MAX_PUNCTUATION_RUN) {
                    continue;
                }
            } else {
                runChar = c;
                runLength = 1;
            }
            punct[0] = c;
            current = punct;
            currentLength = 1;
            return true;
        }
        return false;
    }
}
