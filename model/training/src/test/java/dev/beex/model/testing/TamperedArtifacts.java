package dev.beex.model.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Broken artifact files a loader must refuse, built from the documented file layout
 * ({@code ArtifactFormat}), not from the writer's code: header 16 bytes, sections {tag u8, codec u8,
 * stored u32, [raw u32 if deflated], bytes}, then a SHA-256 of everything before it. Each one but
 * {@link #truncated} is correctly hashed, so only the self-tests can catch it.
 */
public final class TamperedArtifacts {

    private static final int HEADER = 16;
    private static final int HASH = 32;
    private static final int CODEC_DEFLATE = 1;
    private static final int TAG_SELF_TESTS = 8;

    private TamperedArtifacts() {
    }

    /** The first {@code keep} bytes only (a partial upload). */
    public static byte[] truncated(byte[] artifact, int keep) {
        return Arrays.copyOf(artifact, keep);
    }

    /**
     * Model {@code weights}' file with the self-test vectors of {@code selfTestsFrom}: passes every
     * checksum, but its engine cannot reproduce the stored outputs.
     */
    public static byte[] foreignSelfTests(byte[] weights, byte[] selfTestsFrom) {
        int[] own = sectionBounds(weights, TAG_SELF_TESTS), other = sectionBounds(selfTestsFrom, TAG_SELF_TESTS);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.write(weights, HEADER, own[0] - HEADER);
        payload.write(selfTestsFrom, other[0], other[1] - other[0]);
        payload.write(weights, own[1], weights.length - HASH - own[1]);
        byte[] body = payload.toByteArray();
        ByteBuffer out = ByteBuffer.allocate(HEADER + body.length + HASH);
        out.put(weights, 0, 8).putLong(body.length).put(body);
        return rehashed(out.array());
    }

    /**
     * {@code artifact} with the first stored probability of exit 1 of the first self-test vector
     * moved by 0.25: the "engine does not reproduce the artifact" case.
     */
    public static byte[] wrongSelfTestOutput(byte[] artifact, int numLabels) {
        byte[] b = artifact.clone();
        ByteBuffer buf = ByteBuffer.wrap(b);
        int section = sectionBounds(b, TAG_SELF_TESTS)[0];
        if ((b[section + 1] & 0xff) == CODEC_DEFLATE) {
            throw new IllegalStateException("self-tests section is compressed; update this test fixture");
        }
        int p = section + 6 + 4;                        // skip tag, codec, stored length and the vector count
        p += 2 + (buf.getShort(p) & 0xFFFF);            // skip the first text (modified UTF-8)
        p += 8;                                         // skip exit block and label
        p += 4 * numLabels;                             // skip the answer's probabilities
        float prob = buf.getFloat(p);
        buf.putFloat(p, prob > 0.5f ? prob - 0.25f : prob + 0.25f);
        return rehashed(b);
    }

    /** {@code [start, end)} in {@code artifact} of the section with this tag, its header included. */
    private static int[] sectionBounds(byte[] artifact, int wanted) {
        ByteBuffer in = ByteBuffer.wrap(artifact, HEADER, artifact.length - HEADER - HASH);
        while (in.hasRemaining()) {
            int start = in.position();
            int tag = in.get() & 0xff;
            int codec = in.get() & 0xff;
            int stored = in.getInt();
            if (codec == CODEC_DEFLATE) {
                in.getInt();                            // the raw length
            }
            in.position(in.position() + stored);
            if (tag == wanted) {
                return new int[] {start, in.position()};
            }
        }
        throw new IllegalArgumentException("artifact has no section " + wanted);
    }

    /** {@code file} with its trailing SHA-256 recomputed over everything before it. */
    private static byte[] rehashed(byte[] file) {
        int end = file.length - HASH;
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(file, 0, end);
            System.arraycopy(md.digest(), 0, file, end, HASH);
            return file;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
