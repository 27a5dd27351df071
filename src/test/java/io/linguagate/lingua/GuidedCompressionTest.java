package io.linguagate.lingua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linguagate.lingua.Fakes.TableModel;
import io.linguagate.lingua.Fakes.ToyTokenizer;
import io.linguagate.lingua.Fakes.UnitCounter;
import io.linguagate.support.SourceWords;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Forced spans and rate regions: one model pass per text, forced words kept verbatim and counted in the budget. */
class GuidedCompressionTest {

    private static TableModel model(ToyTokenizer tok) {
        return new TableModel(tok, 0.5f).p("alpha", 0.9).p("beta", 0.2).p("gamma", 0.6).p("delta", 0.4)
                .p("omega", 0.5);
    }

    private static CompressionOptions rate(double r) {
        return CompressionOptions.builder().rate(r).build();
    }

    private static TextGuide force(String text, String... spans) {
        TextGuide.Builder b = TextGuide.builder();
        for (String s : spans) {
            int at = text.indexOf(s);
            b.force(at, at + s.length());
        }
        return b.build();
    }

    @Test
    void aForcedWordUsesUpTheBudgetLikeAForceToken() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        String text = "alpha beta gamma delta omega";
        Llmlingua2Compressor c = new Llmlingua2Compressor(tok, model(tok), new UnitCounter());
        // Unforced: [.2 .4 .5 .6 .9], percentile 51 = .5 + .1 * .04 = .504 -> alpha, gamma.
        assertEquals("alpha gamma", c.compress(text, rate(0.5)).compressedPrompt());
        // omega forced to 1.0: [.2 .4 .6 .9 1], percentile 51 = .6 + .3 * .04 = .612 -> alpha and omega only.
        CompressionResult forced = c.compressAll(List.of(CompressionJob.guided(text, rate(0.5), force(text, "omega"))))
                .get(0);
        assertEquals("alpha omega", forced.compressedPrompt());
    }

    @Test
    void forcedSpansAreCopiedVerbatimWithEveryCharacter() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        String text = "beta delta see https://x.example/a-b?c=1&d=2 beta delta, then $4.2M beta.";
        CompressionResult r = new Llmlingua2Compressor(tok, model(tok), new UnitCounter()).compressAll(List.of(
                CompressionJob.guided(text, rate(0.3), force(text, "https://x.example/a-b?c=1&d=2", "$4.2M"))))
                .get(0);
        String out = r.compressedPrompt();
        assertTrue(out.contains("https://x.example/a-b?c=1&d=2"), out);
        assertTrue(out.contains("$4.2M"), out);
        int url = text.indexOf("https://");
        assertEquals(out.indexOf("https://"), r.forced().get(0).outputOffsetOf(url, url + 5));
        int money = text.indexOf("$4.2M");
        assertEquals(out.indexOf("$4.2M"), r.forced().get(0).outputOffsetOf(money, money + 5));
        assertEquals(-1, r.forced().get(0).outputOffsetOf(0, 4), "beta is not forced");
    }

    @Test
    void rateRegionsAreThresholdedAmongThemselves() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        String text = "alpha beta gamma delta alpha beta gamma delta";
        int half = text.indexOf("alpha", 1);
        TextGuide guide = TextGuide.builder().region(half, text.length(), 0.25).build();
        CompressionResult r = new Llmlingua2Compressor(tok, model(tok), new UnitCounter())
                .compressAll(List.of(CompressionJob.guided(text, rate(0.5), guide))).get(0);
        // First half at 0.5: alpha gamma. Second at 0.25: percentile 76 of [.2 .4 .6 .9] = .6 + .3 * .28 -> alpha.
        assertEquals("alpha gamma alpha", r.compressedPrompt());
        // A region at rate 1 is kept verbatim and, being its own region, leaves the first half its own budget.
        TextGuide keep = TextGuide.builder().region(half, text.length(), 1.0).build();
        CompressionResult kept = new Llmlingua2Compressor(tok, model(tok), new UnitCounter())
                .compressAll(List.of(CompressionJob.guided(text, rate(0.5), keep))).get(0);
        assertEquals("alpha gamma alpha beta gamma delta", kept.compressedPrompt());
        // The same half forced inside the first half's budget uses it up: [.2 .4 .6 .9 1 1 1 1], percentile 51 =
        // .9 + .1 * .57 = .957, so nothing unforced passes.
        TextGuide forced = TextGuide.builder().force(half, text.length()).build();
        CompressionResult spent = new Llmlingua2Compressor(tok, model(tok), new UnitCounter())
                .compressAll(List.of(CompressionJob.guided(text, rate(0.5), forced))).get(0);
        assertEquals("alpha beta gamma delta", spent.compressedPrompt());
    }

    @Test
    void aRegionBelowOneRunsTheModelEvenAtJobRateOne() {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        TableModel m = model(tok);
        String text = "alpha beta gamma delta";
        CompressionResult r = new Llmlingua2Compressor(tok, m, new UnitCounter()).compressAll(List.of(
                CompressionJob.guided(text, rate(1.0), TextGuide.builder().region(0, text.length(), 0.5).build())))
                .get(0);
        assertEquals("alpha gamma", r.compressedPrompt());
        assertEquals(1, m.calls.size());
    }

    /** Random texts of every kind users send, random probabilities, random forced spans. */
    @Test
    void outputWordsAreSourceWordsAndForcedSpansSurviveVerbatim() {
        long seed = Long.getLong("guided.seed", 20261202L);
        Random random = new Random(seed);
        String[] atoms = {"state", "of", "the", "art", "3", "75", "10", "30", "v1", "2", "2024", "01", "05", "don", "t",
            "caf\u00e9", "cafe\u0301", "\u65e5\u672c\u8a9e", "\u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22", "\ud55c\uad6d\uc5b4",
            "\ud83d\ude00", "na\u00efve", "TCK", "4100", "x", "Stra\u00dfe"};
        String[] glue = {" ", "-", ".", ":", "'", "/", ", ", ". ", "\n", "", "(", ") ", "\u00a0", " \u2014 "};
        for (int round = 0; round < 400; round++) {
            StringBuilder sb = new StringBuilder();
            int n = 3 + random.nextInt(40);
            for (int i = 0; i < n; i++) {
                sb.append(atoms[random.nextInt(atoms.length)]).append(glue[random.nextInt(glue.length)]);
            }
            String text = sb.toString();
            TextGuide.Builder gb = TextGuide.builder();
            List<int[]> spans = new ArrayList<>();
            for (int f = random.nextInt(4); f > 0; f--) {
                int a = random.nextInt(text.length());
                int b = Math.min(text.length(), a + 1 + random.nextInt(12));
                while (a > 0 && Character.isLowSurrogate(text.charAt(a))) {
                    a--;
                }
                while (b < text.length() && Character.isLowSurrogate(text.charAt(b))) {
                    b++;
                }
                gb.force(a, b);
                spans.add(new int[] {a, b});
            }
            TextGuide guide = gb.build();
            ToyTokenizer tok = random.nextBoolean() ? ToyTokenizer.wordPiece() : ToyTokenizer.sentencePiece();
            Random probs = new Random(random.nextLong());
            KeepProbabilityModel noise = chunks -> {
                List<float[]> out = new ArrayList<>();
                for (int[] chunk : chunks) {
                    float[] p = new float[chunk.length];
                    for (int i = 0; i < p.length; i++) {
                        p[i] = probs.nextFloat();
                    }
                    out.add(p);
                }
                return out;
            };
            double r = 0.2 + 0.6 * random.nextDouble();
            CompressionResult result = new Llmlingua2Compressor(tok, noise, new UnitCounter(), 4, 7)
                    .compressAll(List.of(CompressionJob.guided(text, rate(r), guide))).get(0);
            String out = result.compressedPrompt();
            assertEquals(List.of(), SourceWords.invented(text, out), "seed " + seed + " round " + round
                    + ": invented words in '" + out + "' from '" + text + "'");
            for (int[] span : spans) {
                int at = result.forced().get(0).outputOffsetOf(span[0], span[1]);
                String piece = text.substring(span[0], span[1]);
                assertTrue(at >= 0 && out.startsWith(piece, at), "seed " + seed + " round " + round
                        + ": forced '" + piece + "' not at " + at + " of '" + out + "'");
            }
        }
    }
}
