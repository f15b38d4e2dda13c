package dev.beex.model.teacher;

/**
 * Principal component analysis of a row matrix: the {@code k} leading eigenvectors of the
 * sample covariance, found by the cyclic Jacobi eigenvalue method on the {@code dim × dim}
 * covariance (exact to rounding for a symmetric matrix; 384 × 384 takes well under a second).
 * Projection: {@code y_i = c_i · (x − mean)}.
 */
public final class Pca {
    private final double[] mean;
    private final double[][] components;   // [k][dim], unit length, by decreasing eigenvalue
    private final double[] eigenvalues;    // [k], decreasing

    private Pca(double[] mean, double[][] components, double[] eigenvalues) {
        this.mean = mean;
        this.components = components;
        this.eigenvalues = eigenvalues;
    }

    public static Pca fit(float[][] rows, int k) {
        if (rows.length < 2) {
            throw new IllegalArgumentException("PCA needs at least 2 rows, got " + rows.length);
        }
        int dim = rows[0].length;
        if (k < 1 || k > dim) {
            throw new IllegalArgumentException("PCA: k = " + k + " must be in 1.." + dim);
        }
        double[] mean = new double[dim];
        for (float[] r : rows) {
            for (int j = 0; j < dim; j++) {
                mean[j] += r[j];
            }
        }
        for (int j = 0; j < dim; j++) {
            mean[j] /= rows.length;
        }
        double[][] cov = new double[dim][dim];
        double[] c = new double[dim];
        for (float[] r : rows) {
            for (int j = 0; j < dim; j++) {
                c[j] = r[j] - mean[j];
            }
            for (int a = 0; a < dim; a++) {
                double ca = c[a];
                double[] row = cov[a];
                for (int b = a; b < dim; b++) {
                    row[b] += ca * c[b];
                }
            }
        }
        for (int a = 0; a < dim; a++) {
            for (int b = a; b < dim; b++) {
                cov[a][b] /= rows.length - 1;
                cov[b][a] = cov[a][b];
            }
        }
        double[][] vectors = new double[dim][dim];   // columns are eigenvectors
        double[] values = jacobi(cov, vectors);
        Integer[] order = new Integer[dim];
        for (int i = 0; i < dim; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
        double[][] comps = new double[k][dim];
        double[] ev = new double[k];
        for (int i = 0; i < k; i++) {
            int col = order[i];
            ev[i] = values[col];
            for (int j = 0; j < dim; j++) {
                comps[i][j] = vectors[j][col];
            }
        }
        return new Pca(mean, comps, ev);
    }

    /**
     * Eigen-decomposition of the symmetric matrix {@code a} (destroyed) by cyclic Jacobi
     * rotations; eigenvectors go into the columns of {@code v}; returns the eigenvalues.
     */
    static double[] jacobi(double[][] a, double[][] v) {
        int n = a.length;
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(v[i], 0);
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0, diag = 0;
            for (int p = 0; p < n; p++) {
                diag += a[p][p] * a[p][p];
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off <= 1e-26 * Math.max(diag, 1e-300)) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p][q];
                    if (Math.abs(apq) < 1e-300) {
                        continue;
                    }
                    // rotation angle that zeroes a[p][q] (Golub & Van Loan, sym.schur2)
                    double theta = (a[q][q] - a[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double cs = 1 / Math.sqrt(t * t + 1), sn = t * cs;
                    for (int k = 0; k < n; k++) {          // A <- A J (columns p, q)
                        double akp = a[k][p], akq = a[k][q];
                        a[k][p] = cs * akp - sn * akq;
                        a[k][q] = sn * akp + cs * akq;
                    }
                    for (int k = 0; k < n; k++) {          // A <- Jᵀ A (rows p, q)
                        double apk = a[p][k], aqk = a[q][k];
                        a[p][k] = cs * apk - sn * aqk;
                        a[q][k] = sn * apk + cs * aqk;
                    }
                    for (int k = 0; k < n; k++) {          // V <- V J
                        double vkp = v[k][p], vkq = v[k][q];
                        v[k][p] = cs * vkp - sn * vkq;
                        v[k][q] = sn * vkp + cs * vkq;
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = a[i][i];
        }
        return values;
    }

    public int components() {
        return components.length;
    }

    /** Variance along component {@code i} (decreasing in i). */
    public double eigenvalue(int i) {
        return eigenvalues[i];
    }

    /** Unit direction of component {@code i}. */
    public double[] component(int i) {
        return components[i].clone();
    }

    /** Writes the {@code k} coordinates of {@code x − mean} into {@code out}. */
    public void project(float[] x, float[] out) {
        for (int i = 0; i < components.length; i++) {
            double[] c = components[i];
            double s = 0;
            for (int j = 0; j < c.length; j++) {
                s += c[j] * (x[j] - mean[j]);
            }
            out[i] = (float) s;
        }
    }
}
