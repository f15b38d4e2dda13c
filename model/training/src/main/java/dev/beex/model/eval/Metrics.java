package dev.beex.model.eval;

/** Classification metrics over label indices. */
public final class Metrics {
    private Metrics() {
    }

    /** Precision, recall, F1 and support (gold count) of one label. */
    public record LabelScore(String label, double precision, double recall, double f1, int support) {
    }

    public static double accuracy(int[] gold, int[] predicted) {
        if (gold.length == 0) {
            return 0;
        }
        int correct = 0;
        for (int i = 0; i < gold.length; i++) {
            if (gold[i] == predicted[i]) {
                correct++;
            }
        }
        return (double) correct / gold.length;
    }

    /**
     * Per-label scores. A label with no predictions has precision 0, one with no gold records
     * recall 0, and F1 is 0 when precision + recall is 0 (scikit-learn's zero_division=0).
     */
    public static LabelScore[] perLabel(int[] gold, int[] predicted, String[] labels) {
        int c = labels.length;
        int[] tp = new int[c], predCount = new int[c], goldCount = new int[c];
        for (int i = 0; i < gold.length; i++) {
            goldCount[gold[i]]++;
            predCount[predicted[i]]++;
            if (gold[i] == predicted[i]) {
                tp[gold[i]]++;
            }
        }
        LabelScore[] out = new LabelScore[c];
        for (int k = 0; k < c; k++) {
            double p = predCount[k] == 0 ? 0 : (double) tp[k] / predCount[k];
            double r = goldCount[k] == 0 ? 0 : (double) tp[k] / goldCount[k];
            double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
            out[k] = new LabelScore(labels[k], p, r, f1, goldCount[k]);
        }
        return out;
    }

    /**
     * Unweighted mean of the per-label F1 over the labels that occur in the gold or the
     * predicted labels (as scikit-learn's {@code f1_score(average="macro")} does).
     */
    public static double macroF1(int[] gold, int[] predicted, int numLabels) {
        String[] names = new String[numLabels];
        LabelScore[] scores = perLabel(gold, predicted, names);
        boolean[] present = new boolean[numLabels];
        for (int i = 0; i < gold.length; i++) {
            present[gold[i]] = true;
            present[predicted[i]] = true;
        }
        double sum = 0;
        int count = 0;
        for (int k = 0; k < numLabels; k++) {
            if (present[k]) {
                sum += scores[k].f1();
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }
}
