package io.linguagate.plan;

import io.linguagate.lingua.CompressionJob;
import io.linguagate.lingua.CompressionOptions;
import io.linguagate.lingua.CompressionResult;
import io.linguagate.lingua.TargetTokenCounter;
import io.linguagate.lingua.TextGuide;
import java.util.ArrayList;
import java.util.List;

/**
 * One text of a request as the compressor sees it. The text (its {@code <llmlingua>} tags removed) is classified
 * whole, in one model pass: protected spans (code, URLs, e-mails, numbers, ...), {@code compress=False} segments and
 * a long question's final sentence are <em>forced</em> (kept verbatim, counted in the kept budget as force tokens
 * are); a tag's rate is a rate region of the same pass, so a segment is still judged with its neighbours as context.
 * A JSON document (the whole text, a fenced {@code json} block, a JSON value inside prose) is forced too, and each of
 * its long prose-like string values is compressed as a text of its own, in the same batch; the rewritten strings are
 * then spliced into the document, which keeps its layout byte for byte.
 */
final class PlannedText {

    /** How a request's texts are cut into compression work (from configuration). */
    record Rules(boolean protectNumbers, int jsonMinStringTokens, TargetTokenCounter counter) {
    }

    /** A JSON document in {@link #text} and the rate for its strings. */
    private record JsonBlock(JsonDocument document, double rate) {
    }

    private final String text;
    private final double rate;
    private final TextGuide guide;
    /** Whether words outside forced spans are left for the model to judge. */
    private final boolean textWork;
    private final List<JsonBlock> blocks;
    private final Rules rules;

    private PlannedText(String text, double rate, TextGuide guide, boolean textWork, List<JsonBlock> blocks,
            Rules rules) {
        this.rules = rules;
        this.text = text;
        this.rate = rate;
        this.guide = guide;
        this.textWork = textWork;
        this.blocks = blocks;
    }

    /**
     * Plans {@code original} (possibly tagged).
     *
     * @param untaggedRate rate of text outside tags; 1 keeps it verbatim
     * @param keepFrom     text from this index of {@code original} on is kept verbatim (a question's final
     *                     sentence; {@code original.length()} for none); used only for untagged text
     * @throws InvalidSegmentException on a malformed tag
     */
    static PlannedText plan(String original, double untaggedRate, int keepFrom, Rules rules) {
        List<TagParser.Region> regions = TagParser.parse(original);
        boolean tagged = regions.size() != 1 || regions.get(0).start() != 0
                || regions.get(0).end() != original.length();
        StringBuilder stripped = new StringBuilder(original.length());
        TextGuide.Builder guide = TextGuide.builder();
        List<JsonBlock> blocks = new ArrayList<>();
        List<int[]> work = new ArrayList<>();
        for (TagParser.Region region : regions) {
            int at = stripped.length();
            stripped.append(original, region.start(), region.end());
            int end = stripped.length();
            double r = !region.compress() ? 1.0 : region.rate().orElse(untaggedRate);
            if (r >= 1.0) {
                guide.region(at, end, 1.0); // verbatim, and outside the budget of the text around it
                continue;
            }
            if (region.rate().isPresent()) {
                guide.region(at, end, r);
            }
            int compressTo = end;
            if (!tagged && keepFrom < original.length()) {
                compressTo = keepFrom;
                guide.region(keepFrom, end, 1.0);
            }
            work.add(new int[] {at, compressTo});
        }
        String text = stripped.toString();
        boolean textWork = false;
        for (int[] range : work) {
            int cursor = range[0];
            int[] spans = ProtectedSpans.find(text, range[0], range[1], rules.protectNumbers());
            for (int k = 0; k < spans.length; k += 2) {
                textWork |= hasNonSpace(text, cursor, spans[k]);
                TagParser.Region tag = regionAt(regions, spans[k]);
                double rate = !tag.compress() ? 1.0 : tag.rate().orElse(untaggedRate);
                JsonBlock block = jsonBlock(text, spans[k], spans[k + 1], rate, rules);
                // A block (a fence, a JSON value) is a document of its own, not words of the prose: it is kept as a
                // region of its own rather than forced into the prose's budget, which a large block would use up,
                // leaving the text around it nothing. Inline items (numbers, URLs, ids, inline code) are forced,
                // counted in the budget as the reference counts force tokens. (Regions may not overlap: inside a tag
                // with its own rate, a block is a forced span of that region.)
                if (isBlock(text, spans[k], spans[k + 1]) && tag.rate().isEmpty()) {
                    guide.region(spans[k], spans[k + 1], 1.0);
                } else {
                    guide.force(spans[k], spans[k + 1]);
                }
                if (block != null) {
                    blocks.add(block);
                }
                cursor = spans[k + 1];
            }
            textWork |= hasNonSpace(text, cursor, range[1]);
        }
        double jobRate = untaggedRate < 1.0 ? untaggedRate : 1.0;
        return new PlannedText(text, jobRate, guide.build(), textWork, blocks, rules);
    }

    /** The text without tags: what goes upstream when nothing is compressed. */
    String stripped() {
        return text;
    }

    /** Whether the model has anything to judge here. */
    boolean hasWork() {
        return textWork || !blocks.isEmpty();
    }

    /** The compression jobs of this text, in the order {@link #assemble} expects their results. */
    List<CompressionJob> jobs(List<String> forceTokens) {
        List<CompressionJob> jobs = new ArrayList<>();
        if (textWork) {
            jobs.add(CompressionJob.guided(text, options(rate, forceTokens), guide));
        }
        for (JsonBlock block : blocks) {
            jobs.addAll(block.document().jobs(options(block.rate(), forceTokens),
                    value -> ProtectedText.guide(value, rules.protectNumbers())));
        }
        return jobs;
    }

    /** The compressed text from {@code results} (one per job, in order). */
    String assemble(List<CompressionResult> results) {
        int next = 0;
        String out;
        CompressionResult textResult = null;
        if (textWork) {
            textResult = results.get(next++);
            out = textResult.compressedPrompt();
        } else {
            out = text;
        }
        List<int[]> splices = new ArrayList<>();
        List<String> replacements = new ArrayList<>();
        for (JsonBlock block : blocks) {
            JsonDocument document = block.document();
            int count = document.jobCount();
            String doc = document.rewrite(results.subList(next, next + count));
            next += count;
            int start = document.start();
            int end = document.end();
            int at = textResult == null ? start : textResult.forced().get(0).outputOffsetOf(start, end);
            if (at < 0) {
                throw new IllegalStateException("a forced JSON block is missing from the compressed text");
            }
            splices.add(new int[] {at, at + end - start});
            replacements.add(doc);
        }
        if (splices.isEmpty()) {
            return out;
        }
        StringBuilder spliced = new StringBuilder(out.length());
        int cursor = 0;
        for (int i = 0; i < splices.size(); i++) {
            spliced.append(out, cursor, splices.get(i)[0]).append(replacements.get(i));
            cursor = splices.get(i)[1];
        }
        return spliced.append(out, cursor, out.length()).toString();
    }

    private static CompressionOptions options(double rate, List<String> forceTokens) {
        return CompressionOptions.builder().rate(rate).forceTokens(forceTokens).build();
    }

    /**
     * The JSON document a protected span holds (the span itself, or a fenced block's body), with the string values
     * worth compressing; {@code null} when it holds none.
     */
    private static JsonBlock jsonBlock(String text, int start, int end, double rate, Rules rules) {
        int s = start;
        while (s < end && Character.isWhitespace(text.charAt(s))) {
            s++;
        }
        int from = s;
        int to = end;
        if (text.startsWith("```", s) || text.startsWith("~~~", s)) {
            int lineEnd = text.indexOf('\n', s);
            int close = Math.max(text.lastIndexOf("\n```", end - 1), text.lastIndexOf("\n~~~", end - 1));
            if (lineEnd < 0 || lineEnd >= end) {
                return null;
            }
            from = lineEnd + 1;
            to = close > lineEnd ? close + 1 : end;
        }
        if (from >= to) {
            return null;
        }
        char first = firstNonSpace(text, from, to);
        if (first != '{' && first != '[') {
            return null;
        }
        JsonDocument document = JsonDocument.in(text, from, to, rules.jsonMinStringTokens(), rules.counter());
        return document == null || !document.hasWork() ? null : new JsonBlock(document, rate);
    }

    /** Shorter JSON values ({@code [1]}, {@code {"a": 1}}) read as part of a sentence. */
    static final int MIN_BLOCK_CHARS = 32;

    /** Whether a protected span is a block: a fence, or a JSON value on several lines or of some length. */
    private static boolean isBlock(String text, int start, int end) {
        char first = firstNonSpace(text, start, end);
        int lineBreak = text.indexOf('\n', start);
        boolean multiLine = lineBreak >= 0 && lineBreak < end - 1;
        if (first == '`' || first == '~') {
            return multiLine; // inline code never spans lines; a fence always does
        }
        return (first == '{' || first == '[') && (multiLine || end - start >= MIN_BLOCK_CHARS);
    }

    /** The tag region holding {@code offset} of the stripped text. */
    private static TagParser.Region regionAt(List<TagParser.Region> regions, int offset) {
        int at = 0;
        for (TagParser.Region region : regions) {
            int length = region.end() - region.start();
            if (offset < at + length) {
                return region;
            }
            at += length;
        }
        return regions.get(regions.size() - 1);
    }

    private static boolean hasNonSpace(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static char firstNonSpace(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                return s.charAt(i);
            }
        }
        return '\0';
    }
}
