package io.linguagate.testmodel;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.jni.CharSpan;

/** Flattens DJL's token spans for compact assertions; a {@code null} span becomes {@code {-1, -1}}. */
final class Spans {

    private Spans() {
    }

    static int[][] of(Encoding e) {
        CharSpan[] spans = e.getCharTokenSpans();
        int[][] out = new int[spans.length][];
        for (int i = 0; i < spans.length; i++) {
            out[i] = spans[i] == null ? new int[] {-1, -1} : new int[] {spans[i].getStart(), spans[i].getEnd()};
        }
        return out;
    }
}
