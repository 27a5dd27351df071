package io.linguagate.plan;

import static io.linguagate.plan.SegmenterChecks.show;
import static io.linguagate.plan.SegmenterChecks.showNumbers;
import static io.linguagate.plan.SegmenterChecks.split;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tags, merging and the output contract; the protected spans have their own test. */
class TextSegmenterTest {

    private static final OptionalDouble DEFAULT = OptionalDouble.empty();

    @Test
    void emptyTextGivesNoSegments() {
        assertEquals(List.of(), split("", false));
        assertEquals(List.of(), split("", true));
    }

    @Test
    void untaggedTextIsOneDefaultRateSegment() {
        assertEquals(List.of(new Segment("Hello, world.", true, DEFAULT)), split("Hello, world.", false));
    }

    @Test
    void tagsGiveSegmentsTheirFateAndDisappear() {
        assertEquals(List.of(
                new Segment("a ", true, DEFAULT),
                new Segment("b", true, OptionalDouble.of(0.25)),
                new Segment("c", false, DEFAULT),
                new Segment(" d", true, DEFAULT)),
                split("a <llmlingua, rate=0.25>b</llmlingua><llmlingua, compress=False>c</llmlingua> d", false));
    }

    @Test
    void rateTagCompressesAtItsOwnRate() {
        assertEquals("Intro ‹0.4|the details› outro", show("Intro <llmlingua, rate=0.4>the details</llmlingua> outro"));
        assertEquals("‹0.5|x›", show("<llmlingua, rate=.5>x</llmlingua>"));
        assertEquals("‹0.05|x›", show("<llmlingua, rate=0.05>x</llmlingua>"));
        assertEquals("‹0.25|x›", show("<llmlingua, rate=00.25>x</llmlingua>"));
    }

    @Test
    void compressFalseAndRateOneAreVerbatim() {
        assertEquals("a «keep `me` as is» b", show("a <llmlingua, compress=False>keep `me` as is</llmlingua> b"));
        assertEquals("«x»", show("<llmlingua, rate=1>x</llmlingua>"));
        assertEquals("«x»", show("<llmlingua, rate=1.0>x</llmlingua>"));
        assertEquals("«x»", show("<llmlingua, compress=True, rate=1>x</llmlingua>"));
    }

    @Test
    void attributesInEitherOrderAndTogether() {
        assertEquals("‹0.3|x›", show("<llmlingua, compress=True, rate=0.3>x</llmlingua>"));
        assertEquals("‹0.3|x›", show("<llmlingua, rate=0.3, compress=True>x</llmlingua>"));
        // compress=False wins over a rate, as in LLMLingua; the rate is still validated
        assertEquals("«x»", show("<llmlingua, compress=False, rate=0.3>x</llmlingua>"));
        assertEquals("«x»", show("<llmlingua, rate=0.3, compress=False>x</llmlingua>"));
    }

    @Test
    void tagWithoutRateUsesTheDefaultRate() {
        assertEquals(List.of(new Segment("axb", true, DEFAULT)), split("a<llmlingua, compress=True>x</llmlingua>b", false));
        assertEquals(List.of(new Segment("axb", true, DEFAULT)), split("a<llmlingua>x</llmlingua>b", false));
    }

    @Test
    void whitespaceAndCaseAreTolerated() {
        assertEquals("‹0.5|x›", show("<llmlingua ,rate = 0.5 ,  compress= true >x</llmlingua >"));
        assertEquals("‹0.5|x›", show("<llmlingua,\n\trate=0.5\r\n>x</llmlingua\n>"));
        assertEquals("‹0.5|x›", show("<LLMLingua, RATE=0.5, Compress=TRUE>x</LLMLINGUA>"));
        assertEquals("«x»", show("<llmlingua, compress=FaLsE>x</llmlingua>"));
        assertEquals("«x»", show("<llmlingua, compress=false>x</llmlingua>"));
    }

    @Test
    void emptyTaggedTextGivesNothing() {
        assertEquals(List.of(new Segment("ab", true, DEFAULT)), split("a<llmlingua, rate=0.5></llmlingua>b", false));
        assertEquals(List.of(), split("<llmlingua, compress=False></llmlingua>", false));
    }

    @Test
    void neighboursWithTheSameFateAreMerged() {
        assertEquals("‹0.4|ab›", show("<llmlingua, rate=0.4>a</llmlingua><llmlingua, rate=0.40>b</llmlingua>"));
        assertEquals("‹0.4|a›‹0.5|b›", show("<llmlingua, rate=0.4>a</llmlingua><llmlingua, rate=0.5>b</llmlingua>"));
        assertEquals("«a`b`c»", show("<llmlingua, compress=False>a</llmlingua>`b`<llmlingua, rate=1>c</llmlingua>"));
        assertEquals("«`a``b`»", show("`a``b`"));
    }

    @Test
    void protectedSpansAreSplitOutOfRateSegments() {
        assertEquals("‹0.4|Use ›«`ls`»‹0.4| at ›«https://x.io»‹0.4| now›",
                show("<llmlingua, rate=0.4>Use `ls` at https://x.io now</llmlingua>"));
        assertEquals("‹0.3|Code:›«\n```sh\nrm -rf build\n```\n»‹0.3|Done.›",
                show("<llmlingua, rate=0.3>Code:\n```sh\nrm -rf build\n```\nDone.</llmlingua>"));
        assertEquals("‹0.3|cost ›«42%»", showNumbers("<llmlingua, rate=0.3>cost 42%</llmlingua>"));
    }

    @Test
    void verbatimTagContentIsNotScanned() {
        assertEquals(List.of(new Segment("a `b` https://c.d 42", false, DEFAULT)),
                split("<llmlingua, compress=False>a `b` https://c.d 42</llmlingua>", true));
    }

    @Test
    void protectedSpansStopAtTagBoundaries() {
        assertEquals("`a‹0.5|b`›", show("`a<llmlingua, rate=0.5>b`</llmlingua>"));
        assertEquals("[1, ‹0.5|2]›", show("[1, <llmlingua, rate=0.5>2]</llmlingua>"));
    }

    @Test
    void tagsAreTagsEvenInsideCode() {
        // as in LLMLingua; each region's fence then runs to the region's end
        assertEquals("«```\n»‹0.5|x›«\n```»", show("```\n<llmlingua, rate=0.5>x</llmlingua>\n```"));
    }

    @Test
    void otherAngleBracketWordsAreText() {
        String text = "Compare <llmlingua-2>, <llmlingua2>, <llmlinguas>, </llmlingua_x>, <llm lingua> and a < b.";
        assertEquals(List.of(new Segment(text, true, DEFAULT)), split(text, false));
    }

    @Test
    void cjkAndWindowsNewlinesInsideTags() {
        assertEquals("前言‹0.4|中文内容，\r\n第二行›«\r\n```\r\nx\r\n```\r\n»结束",
                show("前言<llmlingua, rate=0.4>中文内容，\r\n第二行</llmlingua>\r\n```\r\nx\r\n```\r\n结束"));
    }

    @Test
    void invariantsHoldOnRandomText() {
        String[] pieces = {"`", "```\n", "~~~\n", "[", "]", "{", "}", "\"", ":", ",", "http://", "www.", "@", "a",
            "x.io", "1", "2.5", "-", "+", "%", "(", ")", "/", " ", "\n", "\r\n", "\r", "中文", "é", "😀", "<",
            "<llmlingua, rate=0.5>", "<llmlingua, compress=False>", "</llmlingua>"};
        Random random = new Random(7L);
        int valid = 0;
        for (int i = 0; i < 5_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(40); k > 0; k--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            try {
                split(text.toString(), random.nextBoolean());
                valid++;
            } catch (InvalidSegmentException e) {
                assertTrue(e.getMessage().contains("llmlingua"), e.getMessage());
            }
        }
        assertTrue(valid > 1_000, "too few tag-valid samples: " + valid);
    }

    @Test
    void segmentRejectsARateOnProtectedText() {
        assertThrows(IllegalArgumentException.class, () -> new Segment("x", false, OptionalDouble.of(0.5)));
        assertThrows(NullPointerException.class, () -> new Segment(null, true, DEFAULT));
        assertThrows(NullPointerException.class, () -> TextSegmenter.split(null, false));
    }

    @Test
    void invalidSegmentIsAnIllegalArgument() {
        assertTrue(IllegalArgumentException.class.isAssignableFrom(InvalidSegmentException.class));
    }
}
