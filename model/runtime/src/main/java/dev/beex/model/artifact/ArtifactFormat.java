package dev.beex.model.artifact;

import dev.beex.model.ModelParams;
import dev.beex.model.Tensor;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The layout of a {@code .beex} file, shared by {@link ArtifactWriter} and {@link ArtifactReader}.
 *
 * <pre>
 * offset  size  field
 * 0       4     magic "BEEX"
 * 4       2     format version (unsigned, big-endian; this code writes 3, or 4 for binary attention, and reads 2 to 4)
 * 6       2     flags (0; reserved)
 * 8       8     payload length P
 * 16      P     sections, in this order, each: tag u8, codec u8 (0 raw, 1 deflate),
 *               stored length u32, [raw length u32 when deflated], bytes
 *                 1 config      ModelConfig.write (format 2: without lexBuckets, lexDim; format 4 adds the attention kind)
 *                 2 labels      u32 count, UTF each
 *                 3 tokenizer   Tokenizer.write                                       (deflated)
 *                 4 exit rule   ExitRule.write
 *                 5 metadata    u32 count, (UTF key, UTF value) each
 *                 6 binary      u32 count, per binarized tensor (ModelParams.tensors() order):   (deflated)
 *                               u32 rows, u32 cols, f16 α[rows], i64 bits[rows·⌈cols/64⌉]
 *                               (token embedding, each block's layers in BlockLayer order;
 *                               lexical models: the lexical table B×D is the last one)
 *                               (BitPacking conventions: bit 1 = −1, LSB first, pad bits 0)
 *                 7 float       u32 count, per float tensor (tensors() order): u32 length, f16[length] (deflated)
 *                 8 self-tests  u32 count, per vector: UTF text, u32 blocks run at the exit taken
 *                               (0 = a lexical model's exit 0), u32 label, f32 probabilities[C],
 *                               f32 allExits[exits][C]
 * 16+P    32    SHA-256 of bytes [0, 16+P)
 * </pre>
 * All numbers big-endian (DataOutput). Parameters (α and float tensors) are IEEE binary16
 * ({@link Float16}, {@link StoredPrecision}); self-test outputs are float32. Version 3 added the
 * lexical path (two config fields, the lexical table and exit 0's head as the last tensors); a
 * version 2 file is a paper network and reads as before. Version 4 is version 3 plus one config
 * byte, the attention kind; it is written only for binary attention, so readers of version 3
 * refuse exactly the models they would score wrongly. Version 1 (float32 parameters) is no
 * longer read.
 */
public final class ArtifactFormat {
    public static final byte[] MAGIC = {'B', 'E', 'E', 'X'};
    /** Newest format this code reads; it writes {@link dev.beex.model.ModelConfig#formatVersion()} (3 or 4). */
    public static final int FORMAT_VERSION = 4;
    /** Oldest format this code reads: 2 (float16 parameters, no lexical path). */
    public static final int OLDEST_READABLE_VERSION = 2;
    static final int HEADER_BYTES = 16;
    static final int HASH_BYTES = 32;

    static final int TAG_CONFIG = 1, TAG_LABELS = 2, TAG_TOKENIZER = 3, TAG_EXIT_RULE = 4,
            TAG_METADATA = 5, TAG_BINARY = 6, TAG_FLOAT = 7, TAG_SELF_TESTS = 8;
    private static final String[] SECTION_NAMES = {"", "config", "labels", "tokenizer", "exit rule", "metadata",
        "binary weights", "float parameters", "self-tests"};
    static final int CODEC_RAW = 0, CODEC_DEFLATE = 1;

    private ArtifactFormat() {
    }

    /** The section's name in error messages. */
    static String sectionName(int tag) {
        return SECTION_NAMES[tag];
    }

    /** The tensors the float section stores, in file order: every tensor that is not binarized. */
    static List<Tensor> floatTensors(ModelParams p) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : p.tensors()) {
            if (!t.binarized()) {
                out.add(t);
            }
        }
        return out;
    }

    /** The trailer's checksum over bytes {@code [from, to)}. */
    static byte[] sha256(byte[] b, int from, int to) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b, from, to - from);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
