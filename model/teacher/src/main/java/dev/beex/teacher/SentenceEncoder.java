package dev.beex.teacher;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A pretrained sentence encoder that runs offline: all-MiniLM-L6-v2 (6-layer BERT, 384-d,
 * mean pooling over word pieces, unit-length output) through ONNX Runtime, its weights and
 * vocabulary loaded from the model jar on the classpath (no network). Texts longer than the
 * model's window are cut into windows and the window embeddings averaged (langchain4j's rule);
 * {@link #maxChars} cuts long texts first to bound the cost.
 */
public final class SentenceEncoder {
    /** The 8-bit quantized model (16 MB jar): the default. */
    public static final String MINILM_Q = "all-minilm-l6-v2-q";
    /** The float model (83 MB jar). */
    public static final String MINILM = "all-minilm-l6-v2";
    public static final int DIM = 384;

    private final String id;
    private final EmbeddingModel model;
    private final int maxChars;

    public SentenceEncoder(String id, int maxChars) {
        this.id = id.trim().toLowerCase(Locale.ROOT);
        this.model = switch (this.id) {
            case MINILM_Q -> new AllMiniLmL6V2QuantizedEmbeddingModel();
            case MINILM -> new AllMiniLmL6V2EmbeddingModel();
            default -> throw new IllegalArgumentException("unknown teacher '" + id + "' (known: " + MINILM_Q + ", " + MINILM + ")");
        };
        if (maxChars < 1) {
            throw new IllegalArgumentException("max chars must be >= 1");
        }
        this.maxChars = maxChars;
    }

    /** Teacher id as stored in the cache: the model name plus the text cut, so either change gets its own cache. */
    public String id() {
        return id + "-c" + maxChars;
    }

    /**
     * Embeddings of {@code texts}, one unit-length {@value #DIM}-vector each; a text without any
     * non-blank character (or one the model's tokenizer reduces to no word piece) gets the zero vector.
     */
    public float[][] embed(List<String> texts) {
        float[][] out = new float[texts.size()][];
        List<TextSegment> segments = new ArrayList<>(texts.size());
        List<Integer> at = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            if (t == null || t.isBlank()) {
                out[i] = new float[DIM];
                continue;
            }
            segments.add(TextSegment.from(t.length() > maxChars ? t.substring(0, maxChars) : t));
            at.add(i);
        }
        if (segments.isEmpty()) {
            return out;
        }
        List<Embedding> e;
        try {
            e = model.embedAll(segments).content();
        } catch (RuntimeException batchFailed) {
            // a text the model's tokenizer reduces to nothing (e.g. only control or zero-width
            // characters) fails the whole batch: embed one by one, such a text gets the zero vector
            for (int k = 0; k < segments.size(); k++) {
                try {
                    out[at.get(k)] = model.embed(segments.get(k)).content().vector();
                } catch (RuntimeException one) {
                    out[at.get(k)] = new float[DIM];
                }
            }
            return out;
        }
        for (int k = 0; k < e.size(); k++) {
            out[at.get(k)] = e.get(k).vector();
        }
        return out;
    }
}
