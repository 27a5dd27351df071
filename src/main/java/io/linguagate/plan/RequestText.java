package io.linguagate.plan;

/**
 * One text of an API request, as its {@link RequestShape} lists it: where it is in the body, whose it is, and which
 * rule of the policy applies to it.
 *
 * @param pointer JSON pointer of the string in the request body (e.g. {@code /messages/2/content})
 * @param role    {@code system}, {@code developer}, {@code user}, {@code assistant}, {@code tool}, {@code function}
 * @param text    the string
 * @param kind    the policy rule
 */
public record RequestText(String pointer, String role, String text, Kind kind) {

    /** Which rule of the policy decides a text's fate. */
    public enum Kind {
        /** Context (system prompt, tool output, earlier turn): compressed when its role is and it is long enough. */
        CONTEXT,
        /** The question (the last user turn): kept, unless very long; then all but its final sentence, mildly. */
        QUESTION,
        /** A legacy completion prompt: above {@code min-tokens}, all but its final sentence, mildly. */
        PROMPT,
        /** Never compressed (its tags are still removed): a block the client marked for prompt caching. */
        KEEP
    }
}
