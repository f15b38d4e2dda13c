package dev.beex.model.data;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the entries of a (ustar / pax / GNU) tar stream, as {@code npm pack} writes them.
 * {@link #next()} moves to the next regular file; {@link #content()} streams its bytes.
 */
final class TarReader {
    private static final int BLOCK = 512;

    private final InputStream in;
    private final byte[] header = new byte[BLOCK];
    private long remaining;   // bytes of the current entry not yet read
    private long padding;     // zero bytes after the entry up to the next block
    private String name;

    TarReader(InputStream in) {
        this.in = in;
    }

    /** The path of the next regular file, or null at the end of the archive. */
    String next() throws IOException {
        String longName = null;
        while (true) {
            skipRest();
            if (!readBlock()) {
                return null;
            }
            if (isZeroBlock()) {
                return null;
            }
            long size = octal(124, 12);
            byte type = header[156];
            String headerName = longName != null ? longName : headerName();
            longName = null;
            remaining = size;
            padding = (BLOCK - size % BLOCK) % BLOCK;
            if (type == 'L') {            // GNU long name: the next entry's path is this entry's data
                longName = trimNul(new String(readAll(), StandardCharsets.UTF_8));
            } else if (type == 'x') {     // pax extended header: may carry path=...
                longName = paxPath(new String(readAll(), StandardCharsets.UTF_8));
            } else if (type == '0' || type == 0 || type == '7') {
                name = headerName;
                return name;
            }
        }
    }

    /** The current entry's bytes (valid until the next call to {@link #next()}). */
    InputStream content() {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("tar entry " + name + " is truncated");
                }
                remaining--;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new EOFException("tar entry " + name + " is truncated");
                }
                remaining -= n;
                return n;
            }

            @Override
            public void close() {
                // the archive stays open
            }
        };
    }

    /** The current entry's bytes, all of them. */
    byte[] readAll() throws IOException {
        if (remaining > Integer.MAX_VALUE - 16) {
            throw new IOException("tar entry too large to hold in memory: " + remaining + " bytes");
        }
        byte[] data = new byte[(int) remaining];
        int off = 0;
        while (off < data.length) {
            int n = in.read(data, off, data.length - off);
            if (n < 0) {
                throw new EOFException("tar archive is truncated");
            }
            off += n;
        }
        remaining = 0;
        return data;
    }

    private void skipRest() throws IOException {
        long skip = remaining + padding;
        while (skip > 0) {
            long n = in.skip(skip);
            if (n <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("tar archive is truncated");
                }
                n = 1;
            }
            skip -= n;
        }
        remaining = 0;
        padding = 0;
    }

    private boolean readBlock() throws IOException {
        int off = 0;
        while (off < BLOCK) {
            int n = in.read(header, off, BLOCK - off);
            if (n < 0) {
                if (off == 0) {
                    return false;
                }
                throw new EOFException("tar archive is truncated");
            }
            off += n;
        }
        return true;
    }

    private boolean isZeroBlock() {
        for (byte b : header) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private String headerName() {
        String n = field(0, 100);
        boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a' && header[261] == 'r';
        String prefix = ustar ? field(345, 155) : "";
        return prefix.isEmpty() ? n : prefix + "/" + n;
    }

    private String field(int off, int len) {
        int end = off;
        while (end < off + len && header[end] != 0) {
            end++;
        }
        return new String(header, off, end - off, StandardCharsets.UTF_8);
    }

    private long octal(int off, int len) throws IOException {
        if ((header[off] & 0x80) != 0) { // base-256 (GNU) for large sizes
            long v = header[off] & 0x7F;
            for (int i = off + 1; i < off + len; i++) {
                v = (v << 8) | (header[i] & 0xFF);
            }
            return v;
        }
        long v = 0;
        for (int i = off; i < off + len; i++) {
            byte b = header[i];
            if (b == 0 || b == ' ') {
                continue;
            }
            if (b < '0' || b > '7') {
                throw new IOException("corrupt tar header (size field)");
            }
            v = v * 8 + (b - '0');
        }
        return v;
    }

    private static String paxPath(String records) {
        for (String rec : records.split("\n")) {
            int sp = rec.indexOf(' ');
            if (sp > 0 && rec.startsWith("path=", sp + 1)) {
                return rec.substring(sp + 1 + 5);
            }
        }
        return null;
    }

    private static String trimNul(String s) {
        int z = s.indexOf('\0');
        return z >= 0 ? s.substring(0, z) : s;
    }
}
