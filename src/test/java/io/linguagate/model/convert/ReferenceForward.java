package io.linguagate.model.convert;

import io.linguagate.model.convert.CheckpointConfig.Family;

/**
 * The token classifier's forward pass written out as plain loops in double precision, straight from the
 * HuggingFace modelling code's definition (eval mode: no dropout), sharing nothing with the converter. It is the
 * yardstick the converted ONNX graphs are compared against.
 */
final class ReferenceForward {

    private ReferenceForward() {
    }

    /**
     * Logits {@code [batch][seq][2]} for {@code ids}, {@code mask} (1 = real token) and, for BERT, {@code types}
     * (null means all zeros).
     */
    static double[][][] logits(RandomCheckpoint c, long[][] ids, long[][] mask, long[][] types) {
        int batch = ids.length;
        double[][][] out = new double[batch][][];
        for (int b = 0; b < batch; b++) {
            out[b] = sequence(c, ids[b], mask[b], types == null ? new long[ids[b].length] : types[b]);
        }
        return out;
    }

    private static double[][] sequence(RandomCheckpoint c, long[] ids, long[] mask, long[] types) {
        int seq = ids.length;
        int h = c.hidden;
        long[] positions = new long[seq];
        if (c.family == Family.BERT) {
            for (int i = 0; i < seq; i++) {
                positions[i] = i;
            }
        } else {
            // XLM-R: real tokens are numbered pad+1, pad+2, ... in order; padding tokens sit at position pad.
            int count = 0;
            for (int i = 0; i < seq; i++) {
                if (ids[i] != c.pad) {
                    count++;
                    positions[i] = c.pad + count;
                } else {
                    positions[i] = c.pad;
                }
            }
        }
        float[] word = c.w("embeddings.word_embeddings.weight");
        float[] pos = c.w("embeddings.position_embeddings.weight");
        float[] type = c.w("embeddings.token_type_embeddings.weight");
        double[][] x = new double[seq][h];
        for (int i = 0; i < seq; i++) {
            for (int d = 0; d < h; d++) {
                x[i][d] = (double) word[(int) ids[i] * h + d] + pos[(int) positions[i] * h + d]
                        + type[(int) types[i] * h + d];
            }
        }
        x = layerNorm(x, c.w("embeddings.LayerNorm.weight"), c.w("embeddings.LayerNorm.bias"), c.eps);
        for (int l = 0; l < c.layers; l++) {
            String p = "encoder.layer." + l + ".";
            double[][] q = linear(x, c.w(p + "attention.self.query.weight"), c.w(p + "attention.self.query.bias"));
            double[][] k = linear(x, c.w(p + "attention.self.key.weight"), c.w(p + "attention.self.key.bias"));
            double[][] v = linear(x, c.w(p + "attention.self.value.weight"), c.w(p + "attention.self.value.bias"));
            double[][] context = attention(q, k, v, mask, c.heads);
            double[][] a = linear(context, c.w(p + "attention.output.dense.weight"),
                    c.w(p + "attention.output.dense.bias"));
            double[][] x1 = layerNorm(add(a, x), c.w(p + "attention.output.LayerNorm.weight"),
                    c.w(p + "attention.output.LayerNorm.bias"), c.eps);
            double[][] inter = linear(x1, c.w(p + "intermediate.dense.weight"), c.w(p + "intermediate.dense.bias"));
            for (double[] row : inter) {
                for (int d = 0; d < row.length; d++) {
                    row[d] = gelu(row[d]);
                }
            }
            double[][] o = linear(inter, c.w(p + "output.dense.weight"), c.w(p + "output.dense.bias"));
            x = layerNorm(add(o, x1), c.w(p + "output.LayerNorm.weight"), c.w(p + "output.LayerNorm.bias"), c.eps);
        }
        return linear(x, c.w("classifier.weight"), c.w("classifier.bias"));
    }

    private static double[][] attention(double[][] q, double[][] k, double[][] v, long[] mask, int heads) {
        int seq = q.length;
        int h = q[0].length;
        int dh = h / heads;
        double scale = 1 / Math.sqrt(dh);
        double[][] out = new double[seq][h];
        for (int head = 0; head < heads; head++) {
            int o = head * dh;
            for (int i = 0; i < seq; i++) {
                double[] s = new double[seq];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < seq; j++) {
                    double dot = 0;
                    for (int d = 0; d < dh; d++) {
                        dot += q[i][o + d] * k[j][o + d];
                    }
                    // Masked keys get the float32 lowest added, as HF does; exp() of it is 0.
                    s[j] = dot * scale + (mask[j] == 0 ? -Float.MAX_VALUE : 0);
                    max = Math.max(max, s[j]);
                }
                double sum = 0;
                for (int j = 0; j < seq; j++) {
                    s[j] = Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int d = 0; d < dh; d++) {
                    double acc = 0;
                    for (int j = 0; j < seq; j++) {
                        acc += s[j] / sum * v[j][o + d];
                    }
                    out[i][o + d] = acc;
                }
            }
        }
        return out;
    }

    /** PyTorch Linear: {@code y = x W^T + b}, W stored [out, in]. */
    private static double[][] linear(double[][] x, float[] w, float[] b) {
        int out = b.length;
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double acc = b[o];
                for (int j = 0; j < in; j++) {
                    acc += x[i][j] * w[o * in + j];
                }
                y[i][o] = acc;
            }
        }
        return y;
    }

    private static double[][] layerNorm(double[][] x, float[] g, float[] b, double eps) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            int n = x[i].length;
            double mean = 0;
            for (double v : x[i]) {
                mean += v;
            }
            mean /= n;
            double var = 0;
            for (double v : x[i]) {
                var += (v - mean) * (v - mean);
            }
            var /= n;
            double inv = 1 / Math.sqrt(var + eps);
            y[i] = new double[n];
            for (int d = 0; d < n; d++) {
                y[i][d] = (x[i][d] - mean) * inv * g[d] + b[d];
            }
        }
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] y = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int d = 0; d < a[i].length; d++) {
                y[i][d] = a[i][d] + b[i][d];
            }
        }
        return y;
    }

    /** Exact GELU, {@code x * Phi(x)}. */
    static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    /**
     * erf to about 1e-15 (Java has none): Taylor series near 0, continued fraction of erfc beyond (Lentz's method).
     */
    static double erf(double x) {
        double a = Math.abs(x);
        double r;
        if (a < 2.5) {
            // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
            double term = a;
            double sum = a;
            for (int n = 1; n < 200; n++) {
                term *= -a * a / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
            double tiny = 1e-300;
            double f = a;
            double cc = a;
            double d = 0;
            for (int n = 1; n < 300; n++) {
                double an = n / 2.0;
                d = a + an * d;
                d = Math.abs(d) < tiny ? tiny : d;
                cc = a + an / cc;
                cc = Math.abs(cc) < tiny ? tiny : cc;
                d = 1 / d;
                double delta = cc * d;
                f *= delta;
                if (Math.abs(delta - 1) < 1e-16) {
                    break;
                }
            }
            r = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
        }
        return x < 0 ? -r : r;
    }
}
