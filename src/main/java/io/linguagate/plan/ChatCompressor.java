package io.linguagate.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.linguagate.config.CompressionConfig;
import io.linguagate.lingua.CompressionJob;
import io.linguagate.lingua.CompressionResult;
import io.linguagate.lingua.Llmlingua2Compressor;
import io.linguagate.lingua.TargetTokenCounter;
import io.linguagate.model.ClassifierModel;
import io.linguagate.model.ModelService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Compresses the texts of one chat request: plans which texts to compress ({@link MessagePolicy}), plans each as one
 * guided model pass ({@link PlannedText}: {@code <llmlingua>} tags honoured, protected spans forced, JSON compressed
 * string by string), answers repeated texts from the {@link SegmentCache}, and runs all remaining work of the
 * request as one batched model pass. Returns the rewritten texts by JSON pointer; the request tree is not touched.
 */
@ApplicationScoped
public class ChatCompressor {

    /** Texts without it have no structured tags to strip or honour. */
    private static final String TAG_START = "<llmlingua";

    private final CompressionConfig config;
    private final MessagePolicy policy;
    private final ModelService models;
    private final SegmentCache cache;
    private final CountCache counts;
    private final InferenceQueue queue;
    private final InFlightTexts inFlight = new InFlightTexts();

    ChatCompressor(CompressionConfig config, ModelService models, SegmentCache cache, CountCache counts,
            InferenceQueue queue) {
        this.queue = queue;
        this.config = config;
        this.policy = new MessagePolicy(config);
        this.models = models;
        this.cache = cache;
        this.counts = counts;
    }

    /**
     * Compresses the texts {@code shape} lists in {@code root} (a request body) and reports the outcome with the
     * rewritten texts.
     *
     * @param encodingName names {@code counter}'s encoding (part of cache keys)
     * @throws InvalidSegmentException on a malformed {@code <llmlingua>} tag (the client's error: 400)
     */
    public ChatOutcome compress(RequestShape shape, JsonNode root, RequestSettings settings, String encodingName,
            TargetTokenCounter exactCounter, CompressionTicket ticket) {
        if (!settings.enabled()) {
            return ChatOutcome.unchanged("disabled", 0);
        }
        TargetTokenCounter counter = counts.counting(encodingName, exactCounter);
        List<Integer> textCounts = new ArrayList<>();
        List<TextSlot> slots = policy.plan(shape.texts(root), settings, counter, textCounts);
        int original = textCounts.stream().mapToInt(Integer::intValue).sum();
        ticket.counted(original);
        slots = applyTargetToken(slots, textCounts, settings.targetToken());
        List<String> force = new ArrayList<>();
        force.add("\n");
        force.addAll(settings.forceTokens());
        PlannedText.Rules rules = new PlannedText.Rules(config.protectNumbers(), config.json().minStringTokens(),
                counter);

        String[] outputs = new String[slots.size()];
        List<Pending> pending = new ArrayList<>();
        List<CompressionJob> jobs = new ArrayList<>();
        List<Shared> shared = new ArrayList<>();
        List<Pending> claimed = new ArrayList<>();
        int hits = 0;
        int worked = 0;
        try {
            for (int i = 0; i < slots.size(); i++) {
                TextSlot slot = slots.get(i);
                if (slot.treatment() == TextSlot.Treatment.KEEP && !slot.text().contains(TAG_START)) {
                    continue;
                }
                // A hit returns what inference would: compression is deterministic for a text and its plan's
                // inputs. Looked up before planning, so a hit costs no scan of the text.
                // (Treatment and rate in one number: KEEP in (0, 1], COMPRESS in (1, 2], COMPRESS_HEAD in (2, 3].)
                String key = SegmentCache.key(slot.text(), slot.treatment().ordinal() + slot.rate(), force,
                        encodingName);
                Optional<String> cached = cache.get(key);
                if (cached.isPresent()) {
                    outputs[i] = cached.get();
                    hits++;
                    worked++;
                    continue;
                }
                CompletableFuture<String> mine = new CompletableFuture<>();
                CompletableFuture<String> owner = inFlight.claim(key, mine);
                if (owner != null) { // the same text is being compressed for another request: share its result
                    shared.add(new Shared(i, owner));
                    worked++;
                    continue;
                }
                PlannedText planned = plan(slot, rules);
                Pending claim = new Pending(i, key, planned, jobs.size(), 0, mine);
                claimed.add(claim);
                if (!planned.hasWork()) {
                    outputs[i] = planned.stripped();
                    continue; // (abandoned below: nothing was compressed, nothing to share)
                }
                worked++;
                List<CompressionJob> slotJobs = planned.jobs(force);
                pending.add(new Pending(i, key, planned, jobs.size(), slotJobs.size(), mine));
                jobs.addAll(slotJobs);
            }
            if (worked == 0) {
                return unchangedTexts(slots, outputs, textCounts, counter, original);
            }
            if (!jobs.isEmpty()) {
                ClassifierModel model = models.ready().orElse(null);
                if (model == null) {
                    return ChatOutcome.unchanged(models.configured() ? "skipped:model-loading" : "skipped:no-model",
                            original);
                }
                Llmlingua2Compressor compressor = model.compressor(encodingName, exactCounter);
                long chars = jobs.stream().flatMap(j -> j.contexts().stream()).mapToLong(String::length).sum();
                List<CompressionResult> results;
                try {
                    results = queue.run(chars, ticket, () -> compressor.compressAll(jobs, ticket::behind));
                } catch (InferenceQueue.BusyException busy) {
                    return ChatOutcome.unchanged("skipped:busy", original);
                }
                for (Pending p : pending) {
                    String assembled = p.planned.assemble(results.subList(p.firstJob, p.firstJob + p.jobCount));
                    outputs[p.slot] = keepEdges(p.planned.stripped(), assembled);
                    cache.put(p.key, outputs[p.slot]);
                    inFlight.finish(p.key, p.shared, outputs[p.slot]);
                }
            }
        } finally {
            claimed.forEach(c -> inFlight.abandon(c.key, c.shared)); // no-op for the finished ones
        }
        for (Shared s : shared) {
            String output = InFlightTexts.await(s.owner);
            outputs[s.slot] = output != null ? output : TagParser.strip(slots.get(s.slot).text());
            // Another request's work is as good as a cache hit; a repeat within this request is this request's miss.
            hits += output != null && claimed.stream().noneMatch(c -> c.shared == s.owner) ? 1 : 0;
        }
        String cacheState = jobs.isEmpty() ? "hit" : hits == 0 ? "miss" : "partial";
        Written compressed = write(slots, outputs, textCounts, counter);
        if (compressed.tokens() >= original) {
            Written tagsOnly = write(slots, stripped(slots), textCounts, counter);
            return new ChatOutcome("skipped:no-gain", original, tagsOnly.tokens(), cacheState, tagsOnly.edits());
        }
        return new ChatOutcome("applied", original, compressed.tokens(), cacheState, compressed.edits());
    }

    /**
     * Whether any text of the request holds a {@code <llmlingua>} tag: a request forwarded uncompressed
     * (compression off, no model, failed open) must still lose them, as they are the gateway's markup, never the
     * upstream's to read.
     */
    public boolean hasTags(RequestShape shape, JsonNode root) {
        return shape.texts(root).stream().anyMatch(text -> text.text().contains(TAG_START));
    }

    /**
     * The request's texts without their {@code <llmlingua>} tags, by JSON pointer (only texts that had tags);
     * nothing else changes.
     *
     * @throws InvalidSegmentException on a malformed tag
     */
    public Map<String, String> stripTags(RequestShape shape, JsonNode root) {
        Map<String, String> edits = new LinkedHashMap<>();
        for (RequestText text : shape.texts(root)) {
            if (text.text().contains(TAG_START)) {
                edits.put(text.pointer(), TagParser.strip(text.text()));
            }
        }
        return edits;
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

    /** The slot's text planned for one guided pass: tags honoured, protected spans and the question's end forced. */
    private static PlannedText plan(TextSlot slot, PlannedText.Rules rules) {
        String text = slot.text();
        boolean compressUntagged = slot.treatment() != TextSlot.Treatment.KEEP
                && !(slot.treatment() == TextSlot.Treatment.COMPRESS_HEAD && text.contains(TAG_START));
        // A last user message with tags is taken as the user's own plan: only its tagged segments are compressed.
        int keepFrom = slot.treatment() == TextSlot.Treatment.COMPRESS_HEAD ? MessagePolicy.finalSentenceStart(text)
                : text.length();
        return PlannedText.plan(text, compressUntagged ? slot.rate() : 1.0, keepFrom, rules);
    }

    /** Every looked-at text with only its tags removed ({@code null}: unchanged). */
    private static String[] stripped(List<TextSlot> slots) {
        String[] out = new String[slots.size()];
        for (int i = 0; i < slots.size(); i++) {
            if (slots.get(i).text().contains(TAG_START)) {
                out[i] = TagParser.strip(slots.get(i).text());
            }
        }
        return out;
    }

    /** Nothing to infer: only {@code <llmlingua>} tags (if any) are stripped. */
    private ChatOutcome unchangedTexts(List<TextSlot> slots, String[] outputs, List<Integer> counts,
            TargetTokenCounter counter, int original) {
        Written after = write(slots, outputs, counts, counter);
        List<TextSlot> eligible = slots.stream().filter(s -> s.treatment() != TextSlot.Treatment.KEEP).toList();
        String status = eligible.isEmpty() ? "skipped:nothing-to-compress"
                : eligible.stream().allMatch(s -> s.rate() >= 1.0) ? "skipped:rate-1" : "skipped:all-protected";
        return new ChatOutcome(status, original, after.tokens(), "none", after.edits());
    }

    /** The edits for {@code outputs} ({@code null} or equal: unchanged) and the target tokens of all texts after. */
    private static Written write(List<TextSlot> slots, String[] outputs, List<Integer> counts,
            TargetTokenCounter counter) {
        int total = 0;
        Map<String, String> edits = new LinkedHashMap<>();
        for (int i = 0; i < slots.size(); i++) {
            String rewritten = outputs[i];
            if (rewritten == null || rewritten.equals(slots.get(i).text())) {
                total += counts.get(i);
            } else {
                total += counter.count(rewritten);
                edits.put(slots.get(i).pointer(), rewritten);
            }
        }
        return new Written(total, edits);
    }

    /** Target tokens of all texts after a write, and whether any text differs from the request's. */
    private record Written(int tokens, Map<String, String> edits) {
    }

    /**
     * A text this request compresses: its slot, cache key, plan, its jobs' place in the batch, and the future that
     * shares its result with concurrent requests for the same text.
     */
    private record Pending(int slot, String key, PlannedText planned, int firstJob, int jobCount,
            CompletableFuture<String> shared) {
    }

    /** A text another request is compressing right now: this one waits for that result. */
    private record Shared(int slot, CompletableFuture<String> owner) {
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
}
