package io.linguagate.plan;

/**
 * One text of a chat request the policy looked at: a message's string {@code content}, or the {@code text} of one
 * of its {@code text} parts.
 *
 * @param pointer   where the text is in the request body (a JSON pointer, e.g. {@code /messages/2/content})
 * @param role      the message's role
 * @param text      the original text
 * @param treatment what the policy decided
 * @param rate      the rate for {@link Treatment#COMPRESS} and {@link Treatment#COMPRESS_HEAD}
 */
record TextSlot(String pointer, String role, String text, Treatment treatment, double rate) {

    enum Treatment {
        /** Left as is (tagged segments inside are still honoured). */
        KEEP,
        /** Compressed at {@code rate}. */
        COMPRESS,
        /** The last user message when very long: compressed at {@code rate} except its final sentence. */
        COMPRESS_HEAD
    }

    TextSlot with(Treatment newTreatment, double newRate) {
        return new TextSlot(pointer, role, text, newTreatment, newRate);
    }
}
