package io.linguagate.lingua;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linguagate.lingua.Fakes.TableModel;
import io.linguagate.lingua.Fakes.ToyTokenizer;
import io.linguagate.lingua.Fakes.UnitCounter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class Llmlingua2CompressorTest {

    private static CompressionOptions rate(double r) {
        return CompressionOptions.builder().rate(r).build();
    }

    private static TableModel alphaModel(ToyTokenizer tok) {
        return new TableModel(tok, 0.5f)
                .p("alpha", 0.9).p("beta", 0.2).p("gamma", 0.6).p("delta", 0.4)
                .p("\u2581alpha", 0.9).p("\u2581beta", 0.2).p("\u2581gamma", 0.6).p("\u2581delta", 0.4);
    }

    @Test
    void keepsWordsAboveThePerChunkPercentile() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        TableModel model = alphaModel(tok);
        CompressionResult r = new Llmlingua2Compressor(tok, model, new UnitCounter())
                .compress("alpha beta gamma delta", rate(0.5));
        // [.2 .4 .6 .9], percentile 51 -> 0.506
        assertEquals("alpha gamma", r.compressedPrompt());
        assertEquals(List.of("alpha gamma"), r.compressedPromptList());
        assertEquals(4, r.originTokens());
        assertEquals(2, r.compressedTokens());
        assertEquals("2.0x", r.ratioString());
        assertEquals("50.0%", r.rateString());
        assertEquals(2, r.savedTokens());
        assertEquals(List.of(4), model.chunkLengths());
        assertEquals(List.of(), r.words());
        assertEquals(Optional.empty(), r.labeledPrompt());
    }

    @Test
    void sentencePieceWordsWeighTheirMarkAndRebuildWithoutIt() {
        ToyTokenizer tok = ToyTokenizer.sentencePiece();
        // each "▁word" counts 2 target tokens: [.2 .2 .4 .4 .6 .6 .9 .9], rank 3.57 -> 0.514
        CompressionResult r = new Llmlingua2Compressor(tok, alphaModel(tok), new UnitCounter())
                .compress("alpha beta gamma delta", rate(0.5));
        assertEquals("alpha gamma", r.compressedPrompt());
    }

    /** "It is time. Development starts now": window 4 makes chunks of 4 and 3 tokens. */
    private static TableModel timeTable(ToyTokenizer tok) {
        return new TableModel(tok, 0.5f)
                .p("\u2581It", 0.9).p("\u2581is", 0.1).p("\u2581time", 0.92).p(".", 0.95)
                .p("\u2581Development", 0.85).p("\u2581starts", 0.2).p("\u2581now", 0.7);
    }

    @Test
    void chunkJoinsNeverGlueWords() {
        ToyTokenizer tok = ToyTokenizer.sentencePiece();
        TableModel model = timeTable(tok);
        // window 4: "." (index 3) ends chunk 1; chunk 2 keeps only "Development"
        CompressionResult r = new Llmlingua2Compressor(tok, model, new UnitCounter(), 50, 4)
                .compress("It is time. Development starts now", rate(0.5));
        assertEquals(List.of(4, 3), model.chunkLengths());
        assertEquals("time. Development", r.compressedPrompt());
    }

    @Test
    void wordPieceChunksJoinWithTheSourceSpacing() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        TableModel model = new TableModel(tok, 0.5f)
                .p("one", 0.9).p("two", 0.1).p("three", 0.8).p(".", 0.7)
                .p("four", 0.2).p("five", 0.9).p("six", 0.3).p("seven", 0.8);
        // chunk 1 [.9 .1 .8 .7] -> 0.753; chunk 2 [.2 .9 .3 .8] -> 0.565
        CompressionResult r = new Llmlingua2Compressor(tok, model, new UnitCounter(), 50, 4)
                .compress("one two three. four five six seven", rate(0.5));
        assertEquals("one three five seven", r.compressedPrompt());
        assertEquals(List.of(2), model.batchSizes());
    }

    @Test
    void forceTokensKeepLinesAndSentenceEnds() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        TableModel model = new TableModel(tok, 0.5f)
                .p("Alpha", 0.9).p("beta", 0.1).p("Gamma", 0.2).p("delta", 0.8);
        CompressionOptions o = CompressionOptions.builder().rate(0.8).forceTokens(List.of("\n", ".")).build();
        // words [Alpha beta . \n Gamma delta . \n], probs [.9 .1 1 1 .2 .8 1 1], percentile 20 -> 0.44
        CompressionResult r = new Llmlingua2Compressor(tok, model, new UnitCounter())
                .compress("Alpha beta.\nGamma delta.\n", o);
        assertEquals("Alpha.\ndelta.\n", r.compressedPrompt());
        assertEquals(8, r.originTokens());
        assertEquals(6, r.compressedTokens());
        // the model saw placeholders, never a re-tokenized string
        int[] ids = model.calls.get(0).get(0);
        assertEquals(Fakes.PLACEHOLDER_BASE, ids[3]);
        assertEquals(Fakes.PLACEHOLDER_BASE, ids[7]);
    }

    @Test
    void mappedNewlineStaysAChunkEnd() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        TableModel model = new TableModel(tok, 0.5f);
        CompressionOptions o = CompressionOptions.builder().forceTokens(List.of("\n")).build();
        // a b [NEW0] c d e: walking back from index 3 finds the placeholder at 2
        new Llmlingua2Compressor(tok, model, new UnitCounter(), 50, 4).compress("a b\nc d e", o);
        assertEquals(List.of(3, 3), model.chunkLengths());
    }

    @Test
    void multiTokenForceStringIsOneAlwaysKeptWord() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        TableModel model = new TableModel(tok, 0.5f).p("I", 0.3).p("love", 0.1).p("today", 0.2);
        CompressionOptions o = CompressionOptions.builder().forceTokens(List.of("New York")).build();
        // [.3 .1 1 1 .2] ("New York" weighs 2) -> percentile 51 = 0.328
        CompressionResult r = new Llmlingua2Compressor(tok, model, new UnitCounter())
                .compress("I love New York today", o);
        assertEquals("New York", r.compressedPrompt());
    }

    @Test
    void reserveDigitKeepsNumbers() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        TableModel model = new TableModel(tok, 0.5f).p("pay", 0.9).p("42", 0.1).p("dollars", 0.2).p("now", 0.8);
        Llmlingua2Compressor c = new Llmlingua2Compressor(tok, model, new UnitCounter());
        CompressionOptions o = CompressionOptions.builder().rate(0.8).forceReserveDigit(true).build();
        assertEquals("pay 42 now", c.compress("pay 42 dollars now", o).compressedPrompt());
        assertEquals("pay dollars now", c.compress("pay 42 dollars now", o.toBuilder().forceReserveDigit(false).build())
                .compressedPrompt());
    }

    @Test
    void meanVersusFirst() {
        ToyTokenizer tok = ToyTokenizer.wordPiece().split("unbelievable", "un", "believ", "able");
        TableModel model = new TableModel(tok, 0.5f).p("un", 0.2).p("##believ", 0.8).p("##able", 0.8).p("x", 0.5);
        Llmlingua2Compressor c = new Llmlingua2Compressor(tok, model, new UnitCounter());
        // mean: [.6 .5] -> 0.551 ; first: [.2 .5] -> 0.353
        assertEquals("unbelievable", c.compress("unbelievable x", rate(0.5)).compressedPrompt());
        assertEquals("x", c.compress("unbelievable x",
                CompressionOptions.builder().tokenToWord(TokenToWord.FIRST).build()).compressedPrompt());
    }

    @Test
    void dropConsecutiveEndToEnd() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        TableModel model = new TableModel(tok, 0.5f).p("a", 0.9).p("b", 0.95);
        CompressionOptions o = CompressionOptions.builder().rate(0.8).forceTokens(List.of("\n"))
                .chunkEndTokens(List.of(".")).dropConsecutive(true).build();
        Llmlingua2Compressor c = new Llmlingua2Compressor(tok, model, new UnitCounter());
        assertEquals("a\nb", c.compress("a\n\n\nb", o).compressedPrompt());
        // without the option the repeats stay (threshold 0.94 drops "a" instead)
        assertEquals("\n\n\nb", c.compress("a\n\n\nb", o.toBuilder().dropConsecutive(false).build())
                .compressedPrompt());
    }

    @Test
    void targetTokenSetsTheRate() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        Llmlingua2Compressor c = new Llmlingua2Compressor(tok, alphaModel(tok), new UnitCounter());
        String text = "alpha beta gamma delta";
        assertEquals("alpha gamma", c.compress(text, CompressionOptions.builder().rate(0.9).targetToken(2).build())
                .compressedPrompt());
        // 0 is "not set" on this path (the reference tests > 0): rate 0.5 applies
        assertEquals("alpha gamma", c.compress(text, CompressionOptions.builder().targetToken(0).build())
                .compressedPrompt());
    }

    @Test
    void nothingToCompressSkipsTheModelAndReturnsTheTextAsIs() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        TableModel model = alphaModel(tok);
        Llmlingua2Compressor c = new Llmlingua2Compressor(tok, model, new UnitCounter());
        String text = "  Alpha   BETA \n\tgamma  ";
        CompressionResult r = c.compress(text, rate(1.0));
        assertEquals(text, r.compressedPrompt());
        CompressionResult t = c.compress(text, CompressionOptions.builder().targetToken(10).build());
        assertEquals(text, t.compressedPrompt());
        assertEquals(4, t.originTokens()); // three words and a newline
        assertEquals(4, t.compressedTokens());
        assertEquals("1.0x", t.ratioString());
        CompressionResult off = c.compress(text, CompressionOptions.builder().useTokenLevelFilter(false).build());
        assertEquals(text, off.compressedPrompt());
        assertEquals(0, model.calls.size());
        assertEquals(0, tok.tokenizeCalls);
    }

    @Test
    void emptyInputsWork() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        TableModel model = alphaModel(tok);
        Llmlingua2Compressor c = new Llmlingua2Compressor(tok, model, new UnitCounter());
        CompressionResult empty = c.compress("", rate(0.5));
        assertEquals("", empty.compressedPrompt());
        assertEquals(List.of(""), empty.compressedPromptList());
        assertEquals(0, empty.originTokens());
        assertEquals("1.0x", empty.ratioString());
        assertEquals("100.0%", empty.rateString());

        CompressionResult none = c.compress(List.of(), CompressionOptions.builder().targetToken(5).build());
        assertEquals("", none.compressedPrompt());
        assertEquals(List.of(), none.compressedPromptList());

        CompressionResult mixed = c.compress(List.of("", "alpha beta gamma delta", "   "), rate(0.5));
        assertEquals(List.of("", "alpha gamma", ""), mixed.compressedPromptList());
        assertEquals("\n\nalpha gamma\n\n", mixed.compressedPrompt());
        assertEquals(1, model.calls.size());

        CompressionResult filtered = c.compress(List.of("", "  "),
                CompressionOptions.builder().useContextLevelFilter(true).targetToken(3).returnWordLabel(true).build());
        assertEquals("", filtered.compressedPrompt());
        assertEquals(Optional.of(""), filtered.labeledPrompt());
    }

    @Test
    void context510And511TokensNeverLoseATokenAndNeverExceedTheWindow() {
        for (int n : new int[] {510, 511, 1021, 1200}) {
            ToyTokenizer tok = ToyTokenizer.wordPiece();
            TableModel model = new TableModel(tok, 0.5f);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                sb.append(i == 0 ? "" : " ").append("w").append(i);
            }
            new Llmlingua2Compressor(tok, model, new UnitCounter()).compress(sb.toString(), rate(0.5));
            List<Integer> lengths = model.chunkLengths();
            assertEquals(n, lengths.stream().mapToInt(Integer::intValue).sum(), "tokens of " + n);
            assertTrue(lengths.stream().allMatch(l -> l <= 510), lengths::toString);
            List<Integer> expected = switch (n) {
                case 510 -> List.of(510);
                case 511 -> List.of(510, 1);
                case 1021 -> List.of(510, 510, 1);
                default -> List.of(510, 510, 180);
            };
            assertEquals(expected, lengths);
        }
    }

    @Test
    void chunksSplitAfterTheLastSentenceEndInTheWindow() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        TableModel model = new TableModel(tok, 0.5f);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            sb.append(i % 100 == 99 ? ". " : "w ");
        }
        new Llmlingua2Compressor(tok, model, new UnitCounter()).compress(sb.toString(), rate(0.5));
        // "." at indexes 99, 199, ..., 599: the first window [0, 509] ends at 499
        assertEquals(List.of(500, 100), model.chunkLengths());
    }

    @Test
    void multiByteTextIsCopiedFromTheSource() {
        String text = "Café naïve 日本語 😀 ok";
        for (ToyTokenizer tok : List.of(ToyTokenizer.wordPiece(), ToyTokenizer.sentencePiece())) {
            TableModel model = new TableModel(tok, 0.9f).p("ok", 0.1).p("\u2581ok", 0.1);
            // rate 0.9: percentile 10 puts the threshold between 0.1 and 0.9
            CompressionResult r = new Llmlingua2Compressor(tok, model, new UnitCounter()).compress(text, rate(0.9));
            assertArrayEquals("Café naïve 日本語 😀".getBytes(StandardCharsets.UTF_8),
                    r.compressedPrompt().getBytes(StandardCharsets.UTF_8), tok.family().name());
        }
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        TableModel model = new TableModel(tok, 0.5f).p("日", 0.9).p("本", 0.1).p("語", 0.8);
        assertEquals("日語", new Llmlingua2Compressor(tok, model, new UnitCounter()).compress("日本語", rate(0.9))
                .compressedPrompt());
    }

    @Test
    void uncasedTokenizerDoesNotLowerCaseTheOutput() {
        ToyTokenizer tok = new ToyTokenizer(TokenizerFamily.WORDPIECE) {
            @Override
            public TokenizedText tokenize(String text) {
                TokenizedText t = super.tokenize(text);
                String[] lower = new String[t.size()];
                for (int i = 0; i < lower.length; i++) {
                    lower[i] = t.pieces()[i].toLowerCase(java.util.Locale.ROOT);
                }
                return new TokenizedText(t.ids(), lower, t.starts(), t.ends());
            }
        };
        TableModel model = new TableModel(tok, 0.5f).p("ALPHA", 0.9).p("Beta", 0.2).p("GAMMA", 0.6).p("delta", 0.4);
        CompressionResult r = new Llmlingua2Compressor(tok, model, new UnitCounter())
                .compress("ALPHA Beta GAMMA delta", rate(0.5));
        assertEquals("ALPHA GAMMA", r.compressedPrompt());
    }

    @Test
    void contextFilterDropsLowScoringContexts() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        TableModel model = new TableModel(tok, 0.5f)
                .p("aa", 0.1).p("bb", 0.3).p("cc", 0.7).p("dd", 0.9).p("ee", 0.4).p("ff", 0.6);
        Llmlingua2Compressor c = new Llmlingua2Compressor(tok, model, new UnitCounter());
        List<String> contexts = List.of("aa bb", "cc dd", "ee ff");
        CompressionOptions o = CompressionOptions.builder().useContextLevelFilter(true).returnWordLabel(true).build();
        // scores [.2 .8 .5]; level rate (0.5 + 1) / 2 -> percentile 25 -> 0.35; then per context rate 0.5
        CompressionResult r = c.compress(contexts, o);
        assertEquals(List.of("dd", "ff"), r.compressedPromptList());
        assertEquals("dd\n\nff", r.compressedPrompt());
        assertEquals(6, r.originTokens());
        assertEquals(2, r.compressedTokens());
        assertEquals(Optional.of(String.join("\t\t|\t\t", "aa 0", "bb 0", "cc 0", "dd 1", "ee 0", "ff 1")),
                r.labeledPrompt());
        assertEquals(1, model.calls.size(), "the model runs once for both filters");

        assertEquals(List.of("bb", "dd", "ff"),
                c.compress(contexts, o.toBuilder().forceContextIds(List.of(0)).build()).compressedPromptList());
        // target_context 1 -> level rate 1/3 -> percentile 66 -> only the best context
        assertEquals(List.of("dd"), c.compress(contexts, o.toBuilder().targetContext(1).build()).compressedPromptList());
        // a token-level rate of 1 keeps the surviving contexts whole
        assertEquals(List.of("cc dd", "ee ff"),
                c.compress(contexts, o.toBuilder().contextLevelRate(0.75).rate(1.0).build()).compressedPromptList());
        // one context: the filter is off
        assertEquals(List.of("bb"), c.compress(List.of("aa bb"), o).compressedPromptList());
    }

    @Test
    void contextFilterWithTokenTargetUsesTheKeptContextsTokens() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        TableModel model = new TableModel(tok, 0.5f)
                .p("aa", 0.1).p("bb", 0.3).p("cc", 0.7).p("dd", 0.9).p("ee", 0.4).p("ff", 0.6);
        Llmlingua2Compressor c = new Llmlingua2Compressor(tok, model, new UnitCounter());
        // target 2 -> level target 4 of 6 tokens -> level rate 2/3 -> percentile 33 -> 0.398: contexts 2 and 3;
        // then rate 2 / 4 = 0.5 per context
        CompressionOptions o = CompressionOptions.builder().useContextLevelFilter(true).targetToken(2).build();
        assertEquals(List.of("dd", "ff"), c.compress(List.of("aa bb", "cc dd", "ee ff"), o).compressedPromptList());
    }

    @Test
    void wordsViewAndLabels() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        Llmlingua2Compressor c = new Llmlingua2Compressor(tok, alphaModel(tok), new UnitCounter());
        CompressionResult r = c.compress("alpha beta gamma delta",
                CompressionOptions.builder().returnWords(true).returnWordLabel(true).labelSep("/").wordSep("|").build());
        assertEquals(List.of(new ScoredWord("alpha", 0.9f, true), new ScoredWord("beta", 0.2f, false),
                new ScoredWord("gamma", 0.6f, true), new ScoredWord("delta", 0.4f, false)), r.words());
        assertEquals(Optional.of("alpha/1|beta/0|gamma/1|delta/0"), r.labeledPrompt());

        CompressionResult asIs = c.compress("alpha beta", rate(1.0).toBuilder().returnWords(true).returnWordLabel(true).build());
        assertEquals(List.of(new ScoredWord("alpha", Double.NaN, true), new ScoredWord("beta", Double.NaN, true)),
                asIs.words());
        assertEquals(Optional.of("alpha 1\t\t|\t\tbeta 1"), asIs.labeledPrompt());
    }

    @Test
    void jobsShareBatchesAndGetTheirOwnResults() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        TableModel model = new TableModel(tok, 0.5f)
                .p("one", 0.9).p("two", 0.1).p("three", 0.8).p(".", 0.7)
                .p("four", 0.2).p("five", 0.9).p("six", 0.3).p("seven", 0.8)
                .p("a", 0.1).p("b", 0.9).p("c", 0.3).p("d", 0.7).p("e", 0.6).p("f", 0.2);
        Llmlingua2Compressor shared = new Llmlingua2Compressor(tok, model, new UnitCounter(), 2, 4);
        CompressionJob j1 = CompressionJob.of("one two three. four five six seven", rate(0.5));
        CompressionJob j2 = CompressionJob.of("a b c d e f", rate(0.6));
        CompressionJob j3 = CompressionJob.of("kept as is", rate(1.0));
        List<CompressionResult> results = shared.compressAll(List.of(j1, j2, j3));

        // 4 chunks (4, 4 | 4, 2), longest first, at most 2 per call
        assertEquals(List.of(2, 2), model.batchSizes());
        assertEquals(List.of(4, 4, 4, 2), model.chunkLengths());
        for (List<int[]> call : model.calls) {
            for (int[] chunk : call) {
                for (int id : chunk) {
                    assertTrue(id != Fakes.CLS && id != Fakes.SEP, "no special tokens are added by the compressor");
                }
            }
        }
        List<CompressionResult> alone = new ArrayList<>();
        for (CompressionJob j : List.of(j1, j2, j3)) {
            alone.add(new Llmlingua2Compressor(tok, new TableModel(tok, 0.5f)
                    .p("one", 0.9).p("two", 0.1).p("three", 0.8).p(".", 0.7)
                    .p("four", 0.2).p("five", 0.9).p("six", 0.3).p("seven", 0.8)
                    .p("a", 0.1).p("b", 0.9).p("c", 0.3).p("d", 0.7).p("e", 0.6).p("f", 0.2),
                    new UnitCounter(), 50, 4).compressAll(List.of(j)).get(0));
        }
        assertEquals(alone, results);
        assertEquals("one three five seven", results.get(0).compressedPrompt());
        // job 2 at rate 0.6: [a b c d] [.1 .9 .3 .7] percentile 41 -> 0.346; [e f] [.6 .2] -> 0.364
        assertEquals("b d e", results.get(1).compressedPrompt());
        assertEquals("kept as is", results.get(2).compressedPrompt());
    }

    @Test
    void sameInputSameOutput() {
        ToyTokenizer tok = ToyTokenizer.sentencePiece();
        String text = "It is time. Development starts now.\nCafé 日本語 😀 and 42 more words, here.";
        CompressionOptions o = CompressionOptions.builder().rate(0.4).forceTokens(List.of("\n", ".", "!"))
                .forceReserveDigit(true).returnWords(true).returnWordLabel(true).build();
        CompressionResult first = new Llmlingua2Compressor(tok, alphaModel(tok), new UnitCounter(), 50, 5)
                .compress(List.of(text, text), o);
        Llmlingua2Compressor c = new Llmlingua2Compressor(tok, alphaModel(tok), new UnitCounter(), 50, 5);
        assertEquals(first, c.compress(List.of(text, text), o));
        assertEquals(first, c.compress(List.of(text, text), o));
    }

    @Test
    void modelReturningTheWrongShapeIsAnError() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        Llmlingua2Compressor c = new Llmlingua2Compressor(tok, chunks -> List.of(new float[1]), new UnitCounter());
        assertThrows(IllegalStateException.class, () -> c.compress("a b c", rate(0.5)));
        Llmlingua2Compressor d = new Llmlingua2Compressor(tok, chunks -> List.of(), new UnitCounter());
        assertThrows(IllegalStateException.class, () -> d.compress("a b c", rate(0.5)));
    }

    @Test
    void anInterruptedThreadStopsBeforeTheNextBatch() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        TableModel table = alphaModel(tok);
        AtomicInteger batches = new AtomicInteger();
        KeepProbabilityModel interrupting = inputs -> {
            batches.incrementAndGet();
            Thread.currentThread().interrupt(); // the caller gives up while this batch runs
            return table.keepProbabilities(inputs);
        };
        // window 4, batches of 1: "alpha beta gamma delta." four times is several chunks, so several batches.
        Llmlingua2Compressor compressor = new Llmlingua2Compressor(tok, interrupting, new UnitCounter(), 1, 4);
        assertThrows(CompressionCancelledException.class,
                () -> compressor.compress("alpha beta gamma delta. ".repeat(4), rate(0.5)));
        assertEquals(1, batches.get(), "no batch after the interruption");
        assertFalse(Thread.interrupted(), "the interruption was consumed, not left on the thread");
    }

    @Test
    void equalLengthBatchesPadNothingAndGiveTheSameResults() {
        ToyTokenizer tok = ToyTokenizer.sentencePiece();
        TableModel table = timeTable(tok);
        List<CompressionJob> jobs = List.of(CompressionJob.of("It is time. Development starts now", rate(0.5)),
                CompressionJob.of("Development starts now. It is time", rate(0.5)));
        List<List<Integer>> padded = new ArrayList<>();
        List<List<Integer>> equal = new ArrayList<>();
        List<CompressionResult> a = new Llmlingua2Compressor(tok, recording(table, padded), new UnitCounter(), 50, 4,
                BatchShape.PADDED).compressAll(jobs);
        List<CompressionResult> b = new Llmlingua2Compressor(tok, recording(table, equal), new UnitCounter(), 50, 4,
                BatchShape.EQUAL_LENGTH).compressAll(jobs);
        // Window 4: chunks of 4 and 3 tokens in each job; longest first.
        assertEquals(List.of(List.of(4, 4, 3, 3)), padded);
        assertEquals(List.of(List.of(4, 4), List.of(3, 3)), equal);
        assertEquals(a.stream().map(CompressionResult::compressedPrompt).toList(),
                b.stream().map(CompressionResult::compressedPrompt).toList());
    }

    /** {@code model}, noting the chunk lengths of each call in {@code calls}. */
    private static KeepProbabilityModel recording(KeepProbabilityModel model, List<List<Integer>> calls) {
        return inputs -> {
            calls.add(inputs.stream().map(ids -> ids.length).toList());
            return model.keepProbabilities(inputs);
        };
    }
}
