package io.linguagate.plan;

import static io.linguagate.plan.SegmenterChecks.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Every way a tag can be wrong, with the full message the client will read. */
class TagErrorTest {

    private static final String VALID_RATE =
            "rate must be a number greater than 0 and at most 1, e.g. rate=0.4 (rate=1 keeps the text verbatim)";
    private static final String VALID_TAGS = "valid tags are <llmlingua>, <llmlingua, rate=0.4>, "
            + "<llmlingua, compress=False> and <llmlingua, compress=True, rate=0.4>, attributes in any order, "
            + "each closed by </llmlingua> (a literal \"<llmlingua\" is always read as a tag)";

    @Test
    void rateOutOfRange() {
        assertEquals("Invalid tag \"<llmlingua, rate=1.5>\" at offset 0: " + VALID_RATE + ", got \"1.5\"",
                error("<llmlingua, rate=1.5>x</llmlingua>"));
        assertEquals("Invalid tag \"<llmlingua, rate=0>\" at offset 3: " + VALID_RATE + ", got \"0\"",
                error("ab <llmlingua, rate=0>x</llmlingua>"));
        assertEquals("Invalid tag \"<llmlingua, rate=0.0>\" at offset 0: " + VALID_RATE + ", got \"0.0\"",
                error("<llmlingua, rate=0.0>x</llmlingua>"));
        assertEquals("Invalid tag \"<llmlingua, rate=-0.4>\" at offset 0: " + VALID_RATE + ", got \"-0.4\"",
                error("<llmlingua, rate=-0.4>x</llmlingua>"));
    }

    @Test
    void rateNotANumber() {
        for (String value : new String[] {"abc", "0.4.1", "1e-1", "NaN", "40%", "0x1", "'0.4'", "."}) {
            assertEquals("Invalid tag \"<llmlingua, rate=" + value + ">\" at offset 0: " + VALID_RATE
                    + ", got \"" + value + "\"", error("<llmlingua, rate=" + value + ">x</llmlingua>"));
        }
    }

    @Test
    void rateIsValidatedEvenWhenCompressIsFalse() {
        assertEquals("Invalid tag \"<llmlingua, compress=False, rate=2>\" at offset 0: " + VALID_RATE + ", got \"2\"",
                error("<llmlingua, compress=False, rate=2>x</llmlingua>"));
    }

    @Test
    void compressNotABoolean() {
        assertEquals("Invalid tag \"<llmlingua, compress=maybe>\" at offset 0: compress must be True or False, "
                + "got \"maybe\"", error("<llmlingua, compress=maybe>x</llmlingua>"));
        assertEquals("Invalid tag \"<llmlingua, compress=1>\" at offset 0: compress must be True or False, "
                + "got \"1\"", error("<llmlingua, compress=1>x</llmlingua>"));
    }

    @Test
    void unknownAttribute() {
        assertEquals("Invalid tag \"<llmlingua, ratio=0.4>\" at offset 0: unknown attribute \"ratio\"; the valid "
                + "attributes are rate (a number in (0, 1]) and compress (True or False)",
                error("<llmlingua, ratio=0.4>x</llmlingua>"));
        assertEquals("Invalid tag \"<llmlingua, rate=0.4, target_token=100>\" at offset 0: unknown attribute "
                + "\"target_token\"; the valid attributes are rate (a number in (0, 1]) and compress (True or False)",
                error("<llmlingua, rate=0.4, target_token=100>x</llmlingua>"));
    }

    @Test
    void repeatedAttribute() {
        assertEquals("Invalid tag \"<llmlingua, rate=0.4, rate=0.5>\" at offset 0: attribute \"rate\" is given "
                + "twice; give each attribute at most once", error("<llmlingua, rate=0.4, rate=0.5>x</llmlingua>"));
        assertEquals("Invalid tag \"<llmlingua, compress=True, COMPRESS=True>\" at offset 0: attribute \"compress\" "
                + "is given twice; give each attribute at most once",
                error("<llmlingua, compress=True, COMPRESS=True>x</llmlingua>"));
    }

    @Test
    void malformedTags() {
        String[][] cases = {
            {"<llmlingua rate=0.4>x</llmlingua>", "<llmlingua rate=0.4>"},
            {"<llmlingua; rate=0.4>x</llmlingua>", "<llmlingua; rate=0.4>"},
            {"<llmlingua,>x</llmlingua>", "<llmlingua,>"},
            {"<llmlingua, rate>x</llmlingua>", "<llmlingua, rate>"},
            {"<llmlingua, rate=>x</llmlingua>", "<llmlingua, rate=>"},
            {"<llmlingua, rate=0.4 compress=False>x</llmlingua>", "<llmlingua, rate=0.4 compress=False>"},
            {"<llmlingua, rate=0.4, >x</llmlingua>", "<llmlingua, rate=0.4, >"},
        };
        for (String[] c : cases) {
            assertEquals("Malformed tag \"" + c[1] + "\" at offset 0: " + VALID_TAGS, error(c[0]));
        }
    }

    @Test
    void literalTagMentionIsAnError() {
        // the user clearly meant a tag; there is no escape, so the message says how it is read
        assertEquals("Malformed tag \"<llmlingua tags are neat\" at offset 8: " + VALID_TAGS,
                error("I think <llmlingua tags are neat"));
        assertEquals("Malformed tag \"<llmlingua\" at offset 4: " + VALID_TAGS, error("end <llmlingua"));
        assertEquals("Malformed tag \"<llmlingua, rate=0.4 x<\" at offset 0: " + VALID_TAGS,
                error("<llmlingua, rate=0.4 x<"));
    }

    @Test
    void longOrMultiLineTagsAreQuotedShort() {
        String tail = " and then the text goes on and on without any closing bracket at all";
        assertEquals("Malformed tag \"<llmlingua, rate=0.4 and then the text goes on and on withou…\" at offset 0: "
                + VALID_TAGS, error("<llmlingua, rate=0.4" + tail));
        assertEquals("Malformed tag \"<llmlingua, rate=0.4…\" at offset 0: " + VALID_TAGS,
                error("<llmlingua, rate=0.4\nnext line"));
        assertEquals("Invalid tag \"<llmlingua,…\" at offset 0: " + VALID_RATE + ", got \"7\"",
                error("<llmlingua,\nrate=7>x</llmlingua>"));
    }

    @Test
    void unclosedTag() {
        assertEquals("Unclosed tag \"<llmlingua, rate=0.4>\" at offset 2: end the tagged text with </llmlingua>",
                error("a <llmlingua, rate=0.4>text without end"));
        assertEquals("Unclosed tag \"<llmlingua>\" at offset 0: end the tagged text with </llmlingua>",
                error("<llmlingua>"));
    }

    @Test
    void nestedTags() {
        assertEquals("Nested tag \"<llmlingua, compress=False>\" at offset 23 inside \"<llmlingua, rate=0.4>\" "
                + "at offset 0: tags cannot be nested; close the first one with </llmlingua> before opening the next",
                error("<llmlingua, rate=0.4>a <llmlingua, compress=False>b</llmlingua></llmlingua>"));
        assertEquals("Nested tag \"<llmlingua oops\" at offset 11 inside \"<llmlingua>\" at offset 0: tags cannot "
                + "be nested; close the first one with </llmlingua> before opening the next",
                error("<llmlingua><llmlingua oops"));
    }

    @Test
    void closingTagWithoutOpeningTag() {
        assertEquals("Closing tag \"</llmlingua>\" at offset 2 has no opening tag; tagged text looks like "
                + "<llmlingua, rate=0.4>text</llmlingua>", error("a </llmlingua> b"));
        assertEquals("Closing tag \"</LLMLingua >\" at offset 25 has no opening tag; tagged text looks like "
                + "<llmlingua, rate=0.4>text</llmlingua>", error("<llmlingua>a</llmlingua>b</LLMLingua >"));
    }

    @Test
    void malformedClosingTag() {
        assertEquals("Malformed closing tag \"</llmlingua x>\" at offset 22: write it as </llmlingua>",
                error("<llmlingua, rate=0.4>a</llmlingua x>"));
        assertEquals("Malformed closing tag \"</llmlingua\" at offset 12: write it as </llmlingua>",
                error("<llmlingua>a</llmlingua"));
    }
}
