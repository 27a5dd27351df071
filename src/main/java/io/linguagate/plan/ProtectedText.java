package io.linguagate.plan;

import io.linguagate.lingua.TextGuide;

/** The protected spans of a text (code, JSON, URLs, e-mails, numbers, ...) as forced spans of one model pass. */
public final class ProtectedText {

    private ProtectedText() {
    }

    /** A guide forcing every protected span of {@code text}. */
    public static TextGuide guide(String text, boolean protectNumbers) {
        TextGuide.Builder guide = TextGuide.builder();
        int[] spans = ProtectedSpans.find(text, 0, text.length(), protectNumbers);
        for (int k = 0; k < spans.length; k += 2) {
            guide.force(spans[k], spans[k + 1]);
        }
        return guide.build();
    }
}
