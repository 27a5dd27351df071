package io.linguagate.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.linguagate.config.CompressionConfig;
import io.linguagate.lingua.CompressionJob;
import io.linguagate.lingua.CompressionOptions;
import io.linguagate.lingua.CompressionResult;
import io.linguagate.lingua.Llmlingua2Compressor;
import io.linguagate.lingua.TargetTokenCounter;
import io.linguagate.model.ClassifierModel;
import io.linguagate.model.ModelService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compresses the texts of one chat request in place: plans which texts to compress ({@link MessagePolicy}), cuts
 * each into segments ({@code <llmlingua>} tags honoured, protected spans kept verbatim), answers repeated segments
 * from the {@link SegmentCache}, and runs all remaining segments of the request as one batched model pass.
 */
@ApplicationScoped
public class ChatCompressor {

    /** Segments shorter than this (in target tokens) are not worth a model call and stay verbatim. */
    static final int MIN_SEGMENT_TOKENS = 8;
    /** Texts without it have no structured tags to strip or honour. */
    private static final String TAG_START = "<llmlingua";

    private final CompressionConfig config;
    private final MessagePolicy policy;
    private final ModelService models;
    private final SegmentCache cache;
    private final CountCache counts;

    ChatCompressor(CompressionConfig config, ModelService models, SegmentCache cache, CountCache counts) {
        this.config = config;
        this.policy = new MessagePolicy(config);
        this.models = models;
        this.cache = cache;
        this.counts = counts;
    }

    /**
     * Rewrites the texts of {@code messages} (a chat request's {@code messages} array) and reports the outcome.
     *
     * @param encodingName names {@code counter}'s encoding (part of cache keys)
     * @throws InvalidSegmentException on a malformed {@code <llmlingua>} tag (the client's error: 400)
     */
    public ChatOutcome compress(JsonNode messages, RequestSettings settings, String encodingName,
            TargetTokenCounter exactCounter) {
        if (!settings.enabled()) {
            return ChatOutcome.unchanged("disabled", 0);
        }
        TargetTokenCounter counter = counts.counting(encodingName, exactCounter);
        List<Integer> textCounts = new ArrayList<>();
        List<TextSlot> slots = policy.plan(messages, settings, counter, textCounts);
        int original = textCounts.stream().mapToInt(Integer::intValue).sum();
        slots = applyTargetToken(slots, textCounts, settings.targetToken());
        List<String> force = new ArrayList<>();
        force.add("\n");
        force.addAll(settings.forceTokens());

        List<List<Piece>> pieces = new ArrayList<>(slots.size());
        List<CompressionJob> jobs = new ArrayList<>();
        List<Piece> pending = new ArrayList<>();
        int hits = 0;
        for (TextSlot slot : slots) {
            List<Piece> slotPieces = pieces(slot);
            pieces.add(slotPieces);
            for (Piece piece : slotPieces) {
                if (piece.rate >= 1.0) {
                    continue;
                }
                // The cache first: a cached segment was long enough, no need to count it again.
                piece.key = SegmentCache.key(piece.text, piece.rate, force, encodingName);
                Optional<String> cached = cache.get(piece.key);
                if (cached.isPresent()) {
                    piece.output = cached.get();
                    hits++;
                } else if (counter.count(piece.text) >= MIN_SEGMENT_TOKENS) {
                    pending.add(piece);
                    jobs.add(CompressionJob.of(piece.text, CompressionOptions.builder().rate(piece.rate)
                            .forceTokens(force).build()));
                }
            }
        }
        if (hits == 0 && jobs.isEmpty()) {
            return rewriteTagsOnly(slots, pieces, textCounts, counter, original);
        }
        if (!jobs.isEmpty()) {
            ClassifierModel model = models.ready().orElse(null);
            if (model == null) {
                return ChatOutcome.unchanged(models.configured() ? "skipped:model-loading" : "skipped:no-model",
                        original);
            }
            Llmlingua2Compressor compressor = model.compressor(encodingName, exactCounter);
            List<CompressionResult> results = compressor.compressAll(jobs);
            for (int i = 0; i < pending.size(); i++) {
                Piece piece = pending.get(i);
                piece.output = keepEdges(piece.text, results.get(i).compressedPrompt());
                cache.put(piece.key, piece.output);
            }
        }
        String cacheState = jobs.isEmpty() ? "hit" : hits == 0 ? "miss" : "partial";
        Written compressed = write(slots, pieces, textCounts, counter, true);
        if (compressed.tokens() >= original) {
            Written tagsOnly = write(slots, pieces, textCounts, counter, false);
            return new ChatOutcome("skipped:no-gain", original, tagsOnly.tokens(), cacheState, tagsOnly.changed());
        }
        return new ChatOutcome("applied", original, compressed.tokens(), cacheState, true);
    }

    /**
     * Whether any text of {@code messages} holds a {@code <llmlingua>} tag: a request forwarded uncompressed
     * (compression off, no model, failed open) must still lose them, as they are the gateway's markup, never the
     * upstream's to read.
     */
    public boolean hasTags(JsonNode messages) {
        return MessagePolicy.texts(messages).stream().anyMatch(slot -> slot.text().contains(TAG_START));
    }

    /**
     * Removes {@code <llmlingua>} tags from every text of {@code messages} and changes nothing else.
     *
     * @return whether any text changed
     * @throws InvalidSegmentException on a malformed tag
     */
    public boolean stripTags(JsonNode messages) {
        boolean changed = false;
        for (TextSlot slot : MessagePolicy.texts(messages)) {
            if (slot.text().contains(TAG_START)) {
                StringBuilder stripped = new StringBuilder();
                TextSegmenter.split(slot.text(), false).forEach(segment -> stripped.append(segment.text()));
                slot.write(stripped.toString());
                changed = true;
            }
        }
        return changed;
    }

    /** A token budget for all compressible text becomes one rate for every compressed slot. */
    private static List<TextSlot> applyTargetToken(List<TextSlot> slots, List<Integer> counts, int targetToken) {
        if (targetToken < 1) {
            return slots;
        }
        int compressible = 0;
        for (int i = 0; i < slots.size(); i++) {
            if (slots.get(i).treatment() != TextSlot.Treatment.KEEP) {
                compressible += counts.get(i);
            }
        }
        if (compressible == 0) {
            return slots;
        }
        double rate = Math.min(1.0, (double) targetToken / compressible);
        List<TextSlot> out = new ArrayList<>(slots.size());
        for (TextSlot slot : slots) {
            out.add(slot.treatment() == TextSlot.Treatment.KEEP ? slot : slot.with(slot.treatment(), rate));
        }
        return out;
    }

    /** The slot's text as pieces with their rates (1 = verbatim), tags removed. */
    private List<Piece> pieces(TextSlot slot) {
        String text = slot.text();
        List<Piece> out = new ArrayList<>();
        if (slot.treatment() == TextSlot.Treatment.KEEP && !text.contains(TAG_START)) {
            out.add(new Piece(text, 1.0));
            return out;
        }
        boolean tagged = text.contains(TAG_START);
        String head = text;
        String tail = "";
        if (slot.treatment() == TextSlot.Treatment.COMPRESS_HEAD && !tagged) {
            int split = MessagePolicy.finalSentenceStart(text);
            head = text.substring(0, split);
            tail = text.substring(split);
        }
        // Untagged text follows the slot's decision; a tag's own rate applies wherever the tag is. A last user
        // message with tags is taken as the user's own plan: only its tagged segments are compressed.
        boolean compressUntagged = slot.treatment() == TextSlot.Treatment.COMPRESS
                || (slot.treatment() == TextSlot.Treatment.COMPRESS_HEAD && !tagged);
        double untagged = compressUntagged ? slot.rate() : 1.0;
        for (Segment segment : TextSegmenter.split(head, config.protectNumbers())) {
            double rate = !segment.compress() ? 1.0 : segment.rate().orElse(untagged);
            out.add(new Piece(segment.text(), rate));
        }
        if (!tail.isEmpty()) {
            for (Segment segment : TextSegmenter.split(tail, config.protectNumbers())) {
                out.add(new Piece(segment.text(), !segment.compress() ? 1.0 : segment.rate().orElse(1.0)));
            }
        }
        return out;
    }

    /** Nothing to infer: only {@code <llmlingua>} tags (if any) are stripped. */
    private ChatOutcome rewriteTagsOnly(List<TextSlot> slots, List<List<Piece>> pieces, List<Integer> counts,
            TargetTokenCounter counter, int original) {
        Written after = write(slots, pieces, counts, counter, false);
        List<TextSlot> eligible = slots.stream().filter(s -> s.treatment() != TextSlot.Treatment.KEEP).toList();
        String status = eligible.isEmpty() ? "skipped:nothing-to-compress"
                : eligible.stream().allMatch(s -> s.rate() >= 1.0) ? "skipped:rate-1" : "skipped:too-short";
        return new ChatOutcome(status, original, after.tokens(), "none", after.changed());
    }

    /**
     * Writes every changed text back (compressed pieces when {@code compressed}, else only tags stripped); returns
     * the target tokens of all texts afterwards.
     */
    private static Written write(List<TextSlot> slots, List<List<Piece>> pieces, List<Integer> counts,
            TargetTokenCounter counter, boolean compressed) {
        int total = 0;
        boolean changed = false;
        for (int i = 0; i < slots.size(); i++) {
            StringBuilder text = new StringBuilder();
            for (Piece piece : pieces.get(i)) {
                text.append(compressed && piece.output != null ? piece.output : piece.text);
            }
            String rewritten = text.toString();
            slots.get(i).write(rewritten);
            if (rewritten.equals(slots.get(i).text())) {
                total += counts.get(i);
            } else {
                total += counter.count(rewritten);
                changed = true;
            }
        }
        return new Written(total, changed);
    }

    /** Target tokens of all texts after a write, and whether any text differs from the request's. */
    private record Written(int tokens, boolean changed) {
    }

    /** The compressed core keeps the segment's own leading and trailing whitespace, so joins never glue words. */
    static String keepEdges(String original, String compressed) {
        int start = 0;
        while (start < original.length() && Character.isWhitespace(original.charAt(start))) {
            start++;
        }
        int end = original.length();
        while (end > start && Character.isWhitespace(original.charAt(end - 1))) {
            end--;
        }
        String core = compressed.strip();
        if (core.isEmpty()) {
            return start > 0 || end < original.length() ? " " : "";
        }
        return original.substring(0, start) + core + original.substring(end);
    }

    /** A segment of a slot's text, its rate, and (once known) its output. */
    private static final class Piece {
        final String text;
        final double rate;
        String key;
        String output;

        Piece(String text, double rate) {
            this.text = text;
            this.rate = rate;
        }
    }
}
