package io.linguagate.lingua;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * One job through the algorithm: plan and prepare before the shared model pass
 * ({@link #prepare}), then decide and rebuild after it ({@link #finish}).
 */
final class JobRun {

    private final CompressionOptions options;
    private final CompressionJob job;
    private final List<String> contexts;
    private final int[] originCounts;
    private final int originTotal;
    private final boolean contextFilter;
    /** Token-level reduce rate when the context filter is off. */
    private final double reduceRate;
    private final boolean needsModel;
    private final ForceTokens force;
    private final WordMerger merger;
    /** Null when neither the model nor a word view needs the tokens. */
    private final PreparedContext[] prepared;

    private JobRun(CompressionOptions options, CompressionJob job, List<String> contexts, int[] originCounts, int originTotal,
            boolean contextFilter, double reduceRate, boolean needsModel, ForceTokens force, WordMerger merger,
            PreparedContext[] prepared) {
        this.options = options;
        this.job = job;
        this.contexts = contexts;
        this.originCounts = originCounts;
        this.originTotal = originTotal;
        this.contextFilter = contextFilter;
        this.reduceRate = reduceRate;
        this.needsModel = needsModel;
        this.force = force;
        this.merger = merger;
        this.prepared = prepared;
    }

    static JobRun prepare(CompressionJob job, ClassifierTokenizer tokenizer, TargetTokenCounter counter,
            int window) {
        CompressionOptions o = job.options();
        List<String> contexts = job.contexts();
        int[] originCounts = new int[contexts.size()];
        int originTotal = 0;
        for (int i = 0; i < contexts.size(); i++) {
            originCounts[i] = counter.count(contexts.get(i));
            originTotal += originCounts[i];
        }
        boolean contextFilter = o.useContextLevelFilter() && contexts.size() >= 2;
        double rate = o.rate();
        if (!contextFilter && o.targetToken() > 0) {
            rate = originTotal == 0 ? 1.0 : Math.min((double) o.targetToken() / originTotal, 1.0);
        }
        double reduceRate = o.useTokenLevelFilter() ? Math.max(0.0, 1.0 - rate) : 0.0;
        boolean needsModel = contextFilter || reduceRate > 0
                || (o.useTokenLevelFilter() && job.guides().stream().anyMatch(TextGuide::hasReducingRegion));
        boolean needsWords = o.returnWords() || o.returnWordLabel();
        ForceTokens force = null;
        WordMerger merger = null;
        PreparedContext[] prepared = null;
        if (needsModel || needsWords) {
            force = ForceTokens.build(o.forceTokens(), o.chunkEndTokens(), tokenizer);
            merger = new WordMerger(tokenizer, force, o.forceReserveDigit(), o.tokenToWord());
            prepared = new PreparedContext[contexts.size()];
            for (int i = 0; i < contexts.size(); i++) {
                prepared[i] = PreparedContext.prepare(contexts.get(i), force, tokenizer,
                        needsModel ? window : Integer.MAX_VALUE);
                if (!needsModel) {
                    PreparedContext p = prepared[i];
                    for (int c = 0; c < p.chunkCount(); c++) {
                        p.chunks[c] = merger.merge(p.original, p.tokens, p.bounds[c], p.bounds[c + 1], null);
                    }
                }
            }
        }
        return new JobRun(o, job, contexts, originCounts, originTotal, contextFilter, reduceRate, needsModel, force,
                merger, prepared);
    }

    /** Adds this job's chunks to the shared model pass (none when the job needs no model). */
    void addTasks(List<ChunkTask> tasks) {
        if (!needsModel) {
            return;
        }
        for (PreparedContext p : prepared) {
            for (int c = 0; c < p.chunkCount(); c++) {
                tasks.add(new ChunkTask(p, c, merger));
            }
        }
    }

    CompressionResult finish(TargetTokenCounter counter, ToIntFunction<String> wordCounter) {
        int n = contexts.size();
        boolean[] keepContext = new boolean[n];
        Arrays.fill(keepContext, true);
        double tokenReduceRate = needsModel ? reduceRate : 0.0;
        if (contextFilter) {
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                scores[i] = ContextFilter.score(prepared[i].chunks);
            }
            double levelRate = ContextFilter.effectiveRate(options, n, originTotal);
            keepContext = ContextFilter.keep(scores, levelRate, Set.copyOf(options.forceContextIds()));
            // Deviation: the reference counts the re-decoded chunk strings (placeholders and all);
            // the kept contexts' own original counts are what a token budget is about.
            int reserved = 0;
            for (int i = 0; i < n; i++) {
                if (keepContext[i]) {
                    reserved += originCounts[i];
                }
            }
            double rate = options.rate();
            if (options.targetToken() >= 0) {
                rate = reserved == 0 ? 1.0 : Math.min((double) options.targetToken() / reserved, 1.0);
            }
            tokenReduceRate = options.useTokenLevelFilter() ? Math.max(0.0, 1.0 - rate) : 0.0;
        }

        boolean wantWords = options.returnWords() || options.returnWordLabel();
        List<ScoredWord> words = wantWords ? new ArrayList<>() : List.of();
        List<String> compressed = new ArrayList<>(n);
        int compressedTokens = 0;
        List<ForcedPlacement> placements = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TextGuide guide = job.guide(i);
            boolean reduces = tokenReduceRate > 0 || (options.useTokenLevelFilter() && guide.hasReducingRegion());
            if (!reduces || !keepContext[i]) {
                if (keepContext[i]) {
                    compressed.add(contexts.get(i));
                    placements.add(ForcedPlacement.IDENTITY);
                    compressedTokens += originCounts[i];
                }
                if (wantWords) {
                    addWords(words, prepared[i], keepContext[i]);
                }
                continue;
            }
            PreparedContext p = prepared[i];
            int total = 0;
            for (ChunkWords c : p.chunks) {
                total += c.count;
            }
            int[] starts = new int[total];
            int[] ends = new int[total];
            boolean[] keep = new boolean[total];
            double[] finalProbs = wantWords ? new double[total] : null;
            int at = 0;
            for (ChunkWords c : p.chunks) {
                double[] probs = Arrays.copyOf(c.probs, c.count);
                boolean[] k = guide.isEmpty()
                        ? TokenLevelFilter.keep(c.count, probs, c.refTexts, tokenReduceRate, wordCounter,
                                options.dropConsecutive(), force.forceSet())
                        : keepGuided(guide, c, probs, tokenReduceRate, wordCounter);
                System.arraycopy(c.starts, 0, starts, at, c.count);
                System.arraycopy(c.ends, 0, ends, at, c.count);
                System.arraycopy(k, 0, keep, at, c.count);
                if (finalProbs != null) {
                    System.arraycopy(probs, 0, finalProbs, at, c.count);
                }
                at += c.count;
            }
            int[] forcedOut = new int[guide.forcedCount()];
            String text = TextRebuilder.rebuild(p.original, total, starts, ends, keep, guide, forcedOut);
            int[] spanStarts = new int[forcedOut.length];
            int[] spanEnds = new int[forcedOut.length];
            for (int f = 0; f < forcedOut.length; f++) {
                spanStarts[f] = guide.forcedStart(f);
                spanEnds[f] = guide.forcedEnd(f);
            }
            placements.add(forcedOut.length == 0 ? ForcedPlacement.NONE
                    : new ForcedPlacement(spanStarts, spanEnds, forcedOut, false));
            compressed.add(text);
            compressedTokens += counter.count(text);
            if (wantWords) {
                for (int w = 0; w < total; w++) {
                    words.add(new ScoredWord(p.original.substring(starts[w], ends[w]), finalProbs[w], keep[w]));
                }
            }
        }
        Optional<String> labeled = Optional.empty();
        if (options.returnWordLabel()) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < words.size(); w++) {
                if (w > 0) {
                    sb.append(options.wordSep());
                }
                ScoredWord sw = words.get(w);
                sb.append(sw.text()).append(options.labelSep()).append(sw.kept() ? '1' : '0');
            }
            labeled = Optional.of(sb.toString());
        }
        return new CompressionResult(String.join("\n\n", compressed), compressed, originTotal, compressedTokens,
                options.returnWords() ? words : List.of(), labeled, placements);
    }

    /**
     * The keep decision of one chunk of a guided text: words overlapping a forced span score 1.0 (they count toward
     * the kept budget as force tokens do), then each rate region's words, and the words outside every region, are
     * thresholded among themselves at their own rate.
     */
    private boolean[] keepGuided(TextGuide guide, ChunkWords c, double[] probs, double defaultReduce,
            ToIntFunction<String> wordCounter) {
        int[] group = new int[c.count];
        boolean[] forced = new boolean[c.count];
        for (int w = 0; w < c.count; w++) {
            if (guide.overlapsForced(c.starts[w], c.ends[w])) {
                probs[w] = 1.0;
                forced[w] = true;
            }
            group[w] = guide.regionOf(c.starts[w]) + 1; // 0: outside every region
        }
        boolean[] keep = new boolean[c.count];
        boolean[] done = new boolean[guide.regionCount() + 1];
        for (int first = 0; first < c.count; first++) {
            int g = group[first];
            if (done[g]) {
                continue;
            }
            done[g] = true;
            double reduce = g == 0 ? defaultReduce
                    : options.useTokenLevelFilter() ? Math.max(0.0, 1.0 - guide.regionRate(g - 1)) : 0.0;
            int size = 0;
            for (int w = first; w < c.count; w++) {
                if (group[w] == g) {
                    size++;
                }
            }
            int[] index = new int[size];
            double[] groupProbs = new double[size];
            String[] groupTexts = new String[size];
            for (int w = first, at = 0; w < c.count; w++) {
                if (group[w] == g) {
                    index[at] = w;
                    groupProbs[at] = probs[w];
                    groupTexts[at++] = c.refTexts[w];
                }
            }
            boolean[] k = new boolean[size];
            if (reduce > 0) {
                k = TokenLevelFilter.keep(size, groupProbs, groupTexts, reduce, wordCounter,
                        options.dropConsecutive(), force.forceSet());
            } else {
                Arrays.fill(k, true);
            }
            for (int at = 0; at < size; at++) {
                keep[index[at]] = k[at] || forced[index[at]];
                probs[index[at]] = groupProbs[at];
            }
        }
        return keep;
    }

    /** Words of a context that is kept whole ({@code kept}) or dropped whole, with their model probabilities. */
    private static void addWords(List<ScoredWord> out, PreparedContext p, boolean kept) {
        for (ChunkWords c : p.chunks) {
            for (int w = 0; w < c.count; w++) {
                out.add(new ScoredWord(p.original.substring(c.starts[w], c.ends[w]), c.probs[w], kept));
            }
        }
    }
}
