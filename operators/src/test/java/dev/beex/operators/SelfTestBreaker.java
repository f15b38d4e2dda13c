package dev.beex.operators;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * Makes an artifact whose structure and internal SHA-256 are valid but whose stored self-test
 * outputs are wrong, following the layout documented in {@code ArtifactFormat}: sections from
 * offset 16 (tag u8, codec u8, stored length u32, [raw length u32 when deflated], bytes), the
 * self-tests section (tag 8, raw) starting with u32 count, then per vector UTF text, u32 exit
 * block, u32 label, f32 probabilities[C], f32 allExits[blocks][C]; the file ends with the SHA-256 of everything before it.
 * This is the "engine does not reproduce the artifact" case, which only the self-tests catch.
 */
final class SelfTestBreaker {

    private static final int HEADER = 16;
    private static final int HASH = 32;
    private static final int TAG_SELF_TESTS = 8;

    private SelfTestBreaker() {
    }

    /** Shifts the first stored probability of exit 1 of the first self-test vector by 0.25. */
    static byte[] breakSelfTests(byte[] artifact, int numLabels) throws Exception {
        byte[] b = artifact.clone();
        ByteBuffer buf = ByteBuffer.wrap(b);
        int end = b.length - HASH;
        int pos = HEADER;
        while (pos < end) {
            int tag = b[pos] & 0xFF;
            int codec = b[pos + 1] & 0xFF;
            int stored = buf.getInt(pos + 2);
            int body = pos + 6 + (codec == 1 ? 4 : 0);
            if (tag == TAG_SELF_TESTS) {
                if (codec != 0) {
                    throw new IllegalStateException("self-tests section is compressed; update this test fixture");
                }
                int p = body + 4;                               // skip the vector count
                p += 2 + (buf.getShort(p) & 0xFFFF);            // skip the first text (modified UTF-8)
                p += 8;                                         // skip exit block and label
                p += 4 * numLabels;                             // skip the answer's probabilities
                float prob = buf.getFloat(p);
                buf.putFloat(p, prob > 0.5f ? prob - 0.25f : prob + 0.25f);
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOf(b, end));
                System.arraycopy(hash, 0, b, end, HASH);
                return b;
            }
            pos = body + stored;
        }
        throw new IllegalStateException("artifact has no self-tests section");
    }
}
