package dev.beex.pipeline.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Builds broken artifact files the job must refuse, from the documented file layout
 * (ArtifactFormat's javadoc): header 16 bytes, sections {tag u8, codec u8, stored u32,
 * [raw u32 if deflated], bytes}, then a SHA-256 of everything before it.
 */
public final class TamperedArtifacts {

    private static final int HEADER = 16;
    private static final int HASH = 32;
    private static final int TAG_SELF_TESTS = 8;

    private TamperedArtifacts() {
    }

    /** The first {@code keep} bytes only (a partial upload). */
    public static byte[] truncated(byte[] artifact, int keep) {
        return Arrays.copyOf(artifact, keep);
    }

    /**
     * Model {@code weights}' file with the self-test vectors of {@code selfTestsFrom}, correctly
     * hashed: passes every checksum, but its engine cannot reproduce the stored outputs.
     */
    public static byte[] foreignSelfTests(byte[] weights, byte[] selfTestsFrom) {
        byte[] replacement = section(selfTestsFrom, TAG_SELF_TESTS);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        ByteBuffer in = ByteBuffer.wrap(weights, HEADER, weights.length - HEADER - HASH);
        while (in.hasRemaining()) {
            int start = in.position();
            int tag = in.get() & 0xff;
            skipSection(in);
            if (tag == TAG_SELF_TESTS) {
                payload.writeBytes(replacement);
            } else {
                payload.write(weights, start, in.position() - start);
            }
        }
        byte[] body = payload.toByteArray();
        ByteBuffer out = ByteBuffer.allocate(HEADER + body.length + HASH);
        out.put(weights, 0, 8).putLong(body.length).put(body);
        out.put(sha256(out.array(), HEADER + body.length));
        return out.array();
    }

    private static byte[] section(byte[] artifact, int wanted) {
        ByteBuffer in = ByteBuffer.wrap(artifact, HEADER, artifact.length - HEADER - HASH);
        while (in.hasRemaining()) {
            int start = in.position();
            int tag = in.get() & 0xff;
            skipSection(in);
            if (tag == wanted) {
                return Arrays.copyOfRange(artifact, start, in.position());
            }
        }
        throw new IllegalArgumentException("no section " + wanted);
    }

    // Positioned after the tag: codec, stored length, [raw length], bytes.
    private static void skipSection(ByteBuffer in) {
        int codec = in.get() & 0xff;
        int stored = in.getInt();
        if (codec == 1) {
            in.getInt();
        }
        in.position(in.position() + stored);
    }

    private static byte[] sha256(byte[] b, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b, 0, len);
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
