package dev.beex.teacher;

import dev.beex.model.data.DatasetReader;
import dev.beex.model.data.LabeledText;
import dev.beex.model.teacher.TeacherCache;
import dev.beex.model.text.Tokenizer;
import dev.beex.model.text.TokenizerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code beex teacher}: the teacher's outputs over one data file, computed once and cached
 * ({@link TeacherCache}). The {@code ./beex} launcher runs this class from beex-teacher.jar.
 */
@Command(name = "beex teacher", mixinStandardHelpOptions = true,
        description = "Runs a pretrained sentence encoder (all-MiniLM-L6-v2, offline) over a data file and caches "
            + "its outputs for 'beex train --teacher-cache DIR': one embedding per record and one per word of "
            + "the vocabulary that beex train learns from the same file. Skips the work when DIR already has them.")
public final class TeacherMain implements Callable<Integer> {
    private static final int BATCH = 64;

    @Option(names = "--data", required = true, description = "Data file (.jsonl, .csv, .tsv): normally the --train file of beex train.")
    Path data;

    @Option(names = "--out", required = true, description = "Cache directory (created if missing).")
    Path out;

    @Option(names = "--model", description = SentenceEncoder.MINILM_Q + " (8-bit, default) or " + SentenceEncoder.MINILM + " (float).")
    String model = SentenceEncoder.MINILM_Q;

    @Option(names = "--max-chars", description = "Texts are cut to this many characters first (bounds the cost on long texts). Default: ${DEFAULT-VALUE}.")
    int maxChars = 1000;

    @Option(names = {"--vocab"}, description = "Vocabulary budget of the tokenizer whose words get vectors (as beex train --vocab). Default: ${DEFAULT-VALUE}.")
    int vocab = TokenizerOptions.DEFAULT_MAX_VOCAB;

    @Option(names = {"--min-count"}, description = "Tokenizer minimum count (as beex train --min-count). Default: ${DEFAULT-VALUE}.")
    int minCount = TokenizerOptions.DEFAULT_MIN_COUNT;

    @Option(names = "--words-only", description = "Skip the per-record embeddings (the slow part on long texts): the cache then serves 'beex train --teacher-use init' only.")
    boolean wordsOnly;

    public static void main(String[] args) {
        String[] rest = args.length > 0 && args[0].equals("teacher") ? Arrays.copyOfRange(args, 1, args.length) : args;
        CommandLine cl = new CommandLine(new TeacherMain());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            System.err.println("beex: teacher: " + e.getMessage());
            return 1;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            System.err.println("beex: teacher: " + e.getMessage());
            return 2;
        });
        System.exit(cl.execute(rest));
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(data)) {
            throw new IOException("--data: " + data + " is not a file");
        }
        SentenceEncoder encoder;
        try {
            encoder = new SentenceEncoder(model, maxChars);
        } catch (IllegalArgumentException e) {
            throw new IOException("--model: " + e.getMessage());
        }
        String sha = TeacherCache.sha256(data);
        Path target = out.resolve(TeacherCache.fileName(sha, encoder.id()));
        if (Files.exists(target) && (wordsOnly || TeacherCache.read(target).records().length > 0)) {
            System.out.println("cached: " + target + " (teacher " + encoder.id() + ", " + data.getFileName() + ")");
            return 0;
        }   // (a --words-only cache is recomputed when the records are asked for)
        List<LabeledText> records = DatasetReader.read(data);
        List<String> texts = new ArrayList<>(records.size());
        for (LabeledText r : records) {
            texts.add(r.text());
        }
        long start = System.nanoTime();
        float[][] embeddings = wordsOnly ? new float[0][] : embedAll(encoder, texts, "records");
        double recordSeconds = (System.nanoTime() - start) / 1e9;

        Tokenizer tokenizer = Tokenizer.build(texts, new TokenizerOptions(TokenizerOptions.DEFAULT_MAX_TOKENS, vocab, minCount));
        List<String> terms = tokenizer.learnedTerms();
        List<String> termTexts = new ArrayList<>(terms.size());
        for (String t : terms) {
            termTexts.add(t.startsWith("##") && t.length() > 2 ? t.substring(2) : t);
        }
        long termStart = System.nanoTime();
        float[][] termVectors = embedAll(encoder, termTexts, "vocabulary words");
        double termSeconds = (System.nanoTime() - termStart) / 1e9;
        Map<String, float[]> byTerm = new LinkedHashMap<>();
        for (int i = 0; i < terms.size(); i++) {
            byTerm.put(terms.get(i), termVectors[i]);
        }
        Path written = TeacherCache.write(out, new TeacherCache.Outputs(encoder.id(), sha, SentenceEncoder.DIM, embeddings, byTerm));
        System.out.printf(Locale.ROOT, "teacher %s: %d records in %.1f s (%.1f/s), %d vocabulary words in %.1f s; wrote %s (%,d bytes)%n",
                encoder.id(), embeddings.length, recordSeconds, embeddings.length / Math.max(1e-9, recordSeconds), terms.size(),
                termSeconds, written, Files.size(written));
        return 0;
    }

    private static float[][] embedAll(SentenceEncoder encoder, List<String> texts, String what) {
        float[][] out = new float[texts.size()][];
        long start = System.nanoTime(), lastPrint = start;
        for (int from = 0; from < texts.size(); from += BATCH) {
            int to = Math.min(texts.size(), from + BATCH);
            float[][] part = encoder.embed(texts.subList(from, to));
            System.arraycopy(part, 0, out, from, part.length);
            long now = System.nanoTime();
            if (now - lastPrint > 2_000_000_000L || to == texts.size()) {
                lastPrint = now;
                double s = (now - start) / 1e9;
                System.err.printf(Locale.ROOT, "\r%s %d/%d  %.1f/s  ", what, to, texts.size(), to / Math.max(1e-9, s));
                System.err.flush();
            }
        }
        System.err.println();
        return out;
    }
}
