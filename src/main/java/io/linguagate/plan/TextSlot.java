package io.linguagate.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One text of a chat request the policy looked at: a message's string {@code content}, or the {@code text} of one
 * of its {@code text} parts. Knows how to write a new text back in place.
 *
 * @param holder    the JSON object holding the text (the message, or the content part)
 * @param field     the field name in {@code holder} ({@code content} or {@code text})
 * @param role      the message's role
 * @param text      the original text
 * @param treatment what the policy decided
 * @param rate      the rate for {@link Treatment#COMPRESS} and {@link Treatment#COMPRESS_HEAD}
 */
record TextSlot(ObjectNode holder, String field, String role, String text, Treatment treatment, double rate) {

    enum Treatment {
        /** Left as is (tagged segments inside are still honoured). */
        KEEP,
        /** Compressed at {@code rate}. */
        COMPRESS,
        /** The last user message when very long: compressed at {@code rate} except its final sentence. */
        COMPRESS_HEAD
    }

    void write(String newText) {
        holder.put(field, newText);
    }

    TextSlot with(Treatment newTreatment, double newRate) {
        return new TextSlot(holder, field, role, text, newTreatment, newRate);
    }
}
