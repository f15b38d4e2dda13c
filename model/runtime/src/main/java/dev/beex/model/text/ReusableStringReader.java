package dev.beex.model.text;

import java.io.Reader;

/** A {@link Reader} over a String that can be pointed at the next String (Lucene's own is package-private). */
final class ReusableStringReader extends Reader {
    private String s = "";
    private int pos;

    void setValue(String value) {
        s = value;
        pos = 0;
    }

    @Override
    public int read() {
        return pos < s.length() ? s.charAt(pos++) : -1;
    }

    @Override
    public int read(char[] cbuf, int off, int len) {
        if (pos >= s.length()) {
            return -1;
        }
        int n = Math.min(len, s.length() - pos);
        s.getChars(pos, pos + n, cbuf, off);
        pos += n;
        return n;
    }

    @Override
    public void close() {
        s = "";
        pos = 0;
    }
}
