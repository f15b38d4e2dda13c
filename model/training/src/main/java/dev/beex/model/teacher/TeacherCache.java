package dev.beex.model.teacher;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Teacher outputs for one data file, computed once by {@code beex teacher} and read by
 * {@code beex train --teacher-cache DIR}. One file per (data file, teacher):
 * {@code DIR/<sha256 of the data file>.<teacher id>.bxtc}, so a changed data file or another
 * teacher never reuses stale outputs.
 *
 * <p>Format (big-endian, {@link DataOutputStream}): int magic {@code "BXTC"}, int version 1,
 * UTF teacher id, UTF sha-256 (hex) of the data file, int dim, int records, then for every
 * record in file order its {@code dim} floats (the teacher's sentence embedding); int terms,
 * then for every term: UTF term, {@code dim} floats (the teacher's embedding of that term
 * alone; continuation pieces are stored with their {@code ##} prefix).
 */
public final class TeacherCache {
    public static final String SUFFIX = ".bxtc";
    private static final int MAGIC = 0x42585443; // "BXTC"
    private static final int VERSION = 1;

    private TeacherCache() {
    }

    /** Outputs of one teacher over one data file. */
    public record Outputs(String teacherId, String sourceSha256, int dim, float[][] records, Map<String, float[]> terms) {
        public Outputs {
            for (float[] r : records) {
                require(r.length == dim, "record embedding of length " + r.length + ", expected " + dim);
            }
            for (float[] t : terms.values()) {
                require(t.length == dim, "term embedding of length " + t.length + ", expected " + dim);
            }
        }
    }

    public static String fileName(String sourceSha256, String teacherId) {
        return sourceSha256 + "." + teacherId + SUFFIX;
    }

    /** Writes atomically (temporary file, then move), so an interrupted run leaves no half cache. */
    public static Path write(Path dir, Outputs o) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(fileName(o.sourceSha256(), o.teacherId()));
        Path tmp = Files.createTempFile(dir, "teacher", ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(o.teacherId());
            out.writeUTF(o.sourceSha256());
            out.writeInt(o.dim());
            out.writeInt(o.records().length);
            for (float[] r : o.records()) {
                writeFloats(out, r);
            }
            out.writeInt(o.terms().size());
            for (Map.Entry<String, float[]> e : o.terms().entrySet()) {
                out.writeUTF(e.getKey());
                writeFloats(out, e.getValue());
            }
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    public static Outputs read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a teacher cache (bad magic)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": teacher cache version " + version + ", expected " + VERSION);
            }
            String teacher = in.readUTF();
            String sha = in.readUTF();
            int dim = in.readInt();
            int n = in.readInt();
            if (dim <= 0 || n < 0) {
                throw new IOException(file + ": corrupt header (dim " + dim + ", records " + n + ")");
            }
            float[][] records = new float[n][];
            for (int i = 0; i < n; i++) {
                records[i] = readFloats(in, dim);
            }
            int terms = in.readInt();
            Map<String, float[]> t = new LinkedHashMap<>();
            for (int i = 0; i < terms; i++) {
                String term = in.readUTF();
                t.put(term, readFloats(in, dim));
            }
            return new Outputs(teacher, sha, dim, records, t);
        }
    }

    /**
     * The cache of {@code dataFile} in {@code dir}: the one file named by the data file's
     * sha-256, whatever the teacher. Fails when there is none or more than one.
     */
    public static Path find(Path dir, Path dataFile) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("teacher cache " + dir + " is not a directory");
        }
        return lookup(dir, dataFile).orElseThrow(() -> new IOException("no teacher outputs for " + dataFile.getFileName()
                + " in " + dir + ": run beex teacher --data " + dataFile + " --out " + dir));
    }

    /**
     * The cache of {@code dataFile} in {@code dir} if there is one (none when {@code dir} does not
     * exist); fails when there are several teachers' outputs for it.
     */
    public static Optional<Path> lookup(Path dir, Path dataFile) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        String sha = sha256(dataFile);
        List<Path> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().startsWith(sha + ".") && p.getFileName().toString().endsWith(SUFFIX))
                    .sorted().forEach(found::add);
        }
        if (found.size() > 1) {
            throw new IOException("several teachers' outputs for " + dataFile.getFileName() + " in " + dir + ": " + found
                    + "; keep one per directory");
        }
        return found.stream().findFirst();
    }

    /** Hex sha-256 of a file's bytes. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        for (float f : v) {
            out.writeFloat(f);
        }
    }

    private static float[] readFloats(DataInputStream in, int dim) throws IOException {
        float[] v = new float[dim];
        for (int k = 0; k < dim; k++) {
            v[k] = in.readFloat();
        }
        return v;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
