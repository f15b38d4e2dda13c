package dev.beex.model.text;

import java.util.Arrays;

/**
 * An immutable-after-build map from terms to ids that looks terms up straight from a
 * {@code char[]} slice (Lucene's term buffer), so encoding allocates nothing per token.
 * Open addressing with linear probing over a power-of-two table at most half full; the term
 * characters live in one shared pool.
 */
final class TermTable {
    private int[] slots;          // id + 1, 0 = empty
    private int mask;
    private char[] pool = new char[1024];
    private int poolSize;
    private int[] start = new int[64];   // by id
    private int[] length = new int[64];  // by id, -1 = id not in this table
    {
        Arrays.fill(length, -1);
    }
    private int size;

    TermTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        slots = new int[cap];
        mask = cap - 1;
    }

    int size() {
        return size;
    }

    /** Adds {@code term -> id}; returns false (and changes nothing) when the term is already there. */
    boolean put(String term, int id) {
        char[] chars = term.toCharArray();
        if (get(chars, 0, chars.length) >= 0) {
            return false;
        }
        add(chars, 0, chars.length, id);
        return true;
    }

    /**
     * The id of {@code buf[off..off+len)}, adding it with the next free id ({@link #size()}) when
     * absent. Only for tables whose ids are 0..size-1 (counting while learning).
     */
    int intern(char[] buf, int off, int len) {
        int id = get(buf, off, len);
        if (id < 0) {
            id = size;
            add(buf, off, len, id);
        }
        return id;
    }

    private void add(char[] buf, int off, int len, int id) {
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        if (poolSize + len > pool.length) {
            pool = Arrays.copyOf(pool, Math.max(pool.length * 2, poolSize + len));
        }
        System.arraycopy(buf, off, pool, poolSize, len);
        if (id >= start.length) {
            int n = Math.max(start.length * 2, id + 1);
            int old = start.length;
            start = Arrays.copyOf(start, n);
            length = Arrays.copyOf(length, n);
            Arrays.fill(length, old, n, -1);
        }
        start[id] = poolSize;
        length[id] = len;
        poolSize += len;
        insert(id);
        size++;
    }

    /** The term of an id in this table. */
    String term(int id) {
        return new String(pool, start[id], length[id]);
    }

    /** The id of {@code buf[off..off+len)}, or -1. */
    int get(char[] buf, int off, int len) {
        int i = hash(buf, off, len) & mask;
        while (true) {
            int s = slots[i];
            if (s == 0) {
                return -1;
            }
            int id = s - 1;
            if (length[id] == len && equal(buf, off, len, start[id])) {
                return id;
            }
            i = (i + 1) & mask;
        }
    }

    private boolean equal(char[] buf, int off, int len, int at) {
        for (int k = 0; k < len; k++) {
            if (pool[at + k] != buf[off + k]) {
                return false;
            }
        }
        return true;
    }

    private void insert(int id) {
        int i = hash(pool, start[id], length[id]) & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = id + 1;
    }

    private void grow() {
        int[] old = slots;
        slots = new int[old.length * 2];
        mask = slots.length - 1;
        for (int s : old) {
            if (s != 0) {
                insert(s - 1);
            }
        }
    }

    /** Polynomial hash of the chars, finished with murmur3's fmix32 so low bits are well mixed. */
    static int hash(char[] buf, int off, int len) {
        int h = len;
        for (int k = 0; k < len; k++) {
            h = 31 * h + buf[off + k];
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
