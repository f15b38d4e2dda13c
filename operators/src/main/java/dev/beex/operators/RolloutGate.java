package dev.beex.operators;

import dev.beex.schemas.ShadowComparison;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A promotion or rejection gate of a shadow version, e.g. {@code agreement>=0.97,records>=5000}:
 * comma-separated terms that must all hold. Terms: {@code agreement} (share of compared records
 * where both versions gave the same label), {@code records} (records compared), {@code accuracy}
 * (the shadow's accuracy on compared records whose input carries a {@code label} attribute),
 * {@code meanBlocks} (the shadow's mean exit block), {@code p99Micros} (the shadow's 99th percentile
 * of engine time, {@link LatencyHistogram}) and {@code latencyRatio} (that p99 over the active
 * version's p99 on the same records); operators {@code >=}, {@code >}, {@code <=},
 * {@code <}. A term whose value is undefined (no record compared, no labeled record) never holds.
 */
public final class RolloutGate implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern TERM = Pattern.compile("\\s*([A-Za-z][A-Za-z0-9]*)\\s*(>=|<=|>|<)\\s*([-+0-9.eE]+)\\s*");

    enum Metric {
        AGREEMENT("agreement"), RECORDS("records"), ACCURACY("accuracy"), MEAN_BLOCKS("meanBlocks"),
        P99_MICROS("p99Micros"), LATENCY_RATIO("latencyRatio");

        /** The terms, as error messages list them. */
        static final String NAMES = "agreement, records, accuracy, meanBlocks, p99Micros, latencyRatio";

        final String term;

        Metric(String term) {
            this.term = term;
        }

        static Metric of(String term) {
            for (Metric m : values()) {
                if (m.term.equals(term)) {
                    return m;
                }
            }
            return null;
        }

        /** The value on {@code c}; NaN when undefined (then every comparison is false). */
        double value(ShadowComparison c) {
            return switch (this) {
                case AGREEMENT -> ratio(c.getAgreements(), c.getRecords());
                case RECORDS -> c.getRecords();
                case ACCURACY -> ratio(c.getShadowCorrect(), c.getLabeled());
                case MEAN_BLOCKS -> ratio(c.getShadowBlocks(), c.getRecords());
                case P99_MICROS -> p99(c.getShadowLatencyBuckets());
                case LATENCY_RATIO -> p99(c.getShadowLatencyBuckets()) / p99(c.getActiveLatencyBuckets());
            };
        }

        /** 99th percentile of the buckets; NaN without counts (0/0 and x/NaN make a ratio NaN too). */
        private static double p99(java.util.List<Long> buckets) {
            Long p = LatencyHistogram.percentile(buckets, 0.99);
            return p == null ? Double.NaN : p;
        }
    }

    enum Op {
        GE(">="), LE("<="), GT(">"), LT("<");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        static Op of(String symbol) {
            return switch (symbol) {
                case ">=" -> GE;
                case "<=" -> LE;
                case ">" -> GT;
                default -> LT;   // the pattern admits nothing else
            };
        }

        boolean test(double value, double bound) {
            return switch (this) {
                case GE -> value >= bound;
                case LE -> value <= bound;
                case GT -> value > bound;
                case LT -> value < bound;
            };
        }
    }

    record Term(Metric metric, Op op, double bound) implements Serializable {
        boolean test(ShadowComparison c) {
            return op.test(metric.value(c), bound);
        }
    }

    private final String text;
    private final List<Term> terms;

    private RolloutGate(String text, List<Term> terms) {
        this.text = text;
        this.terms = List.copyOf(terms);
    }

    /** The gate {@code text}; null or blank = no gate (null). Throws with a one-line message when it does not parse. */
    public static RolloutGate parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        List<Term> terms = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            Matcher m = TERM.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("gate '" + text + "': '" + part.trim()
                        + "' is not <term><op><number> (terms: " + Metric.NAMES + "; ops: >= > <= <)");
            }
            Metric metric = Metric.of(m.group(1));
            if (metric == null) {
                throw new IllegalArgumentException("gate '" + text + "': unknown term '" + m.group(1)
                        + "' (terms: " + Metric.NAMES + ")");
            }
            double bound;
            try {
                bound = Double.parseDouble(m.group(3));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("gate '" + text + "': '" + m.group(3) + "' is not a number");
            }
            if (!Double.isFinite(bound)) {
                throw new IllegalArgumentException("gate '" + text + "': '" + m.group(3) + "' is not a finite number");
            }
            terms.add(new Term(metric, Op.of(m.group(2)), bound));
        }
        return new RolloutGate(text.trim(), terms);
    }

    /** Whether every term holds on {@code comparison}. */
    public boolean test(ShadowComparison comparison) {
        for (Term t : terms) {
            if (!t.test(comparison)) {
                return false;
            }
        }
        return true;
    }

    List<Term> terms() {
        return terms;
    }

    static double ratio(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : numerator / (double) denominator;
    }

    /** What the gate saw, in words: "agreement 0.981 over 5012 records". */
    static String evidence(ShadowComparison c) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "agreement %.4f over %d records",
                ratio(c.getAgreements(), c.getRecords()), c.getRecords()));
        if (c.getLabeled() > 0) {
            s.append(String.format(Locale.ROOT, ", accuracy %.4f (active %.4f) on %d labeled",
                    ratio(c.getShadowCorrect(), c.getLabeled()), ratio(c.getActiveCorrect(), c.getLabeled()), c.getLabeled()));
        }
        s.append(String.format(Locale.ROOT, ", mean blocks %.2f (active %.2f)",
                ratio(c.getShadowBlocks(), c.getRecords()), ratio(c.getActiveBlocks(), c.getRecords())));
        return s.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
