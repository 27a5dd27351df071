package io.linguagate.lingua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class OptionsAndFormatTest {

    private static void rejects(String parameter, Executable build) {
        InvalidCompressionOptionException e = assertThrows(InvalidCompressionOptionException.class, build);
        assertEquals(parameter, e.parameter());
        assertEquals(true, e.getMessage().startsWith(parameter + ": "), e.getMessage());
    }

    @Test
    void defaultsAreTheReferences() {
        CompressionOptions o = CompressionOptions.defaults();
        assertEquals(0.5, o.rate());
        assertEquals(-1, o.targetToken());
        assertEquals(TokenToWord.MEAN, o.tokenToWord());
        assertEquals(List.of(".", "\n"), o.chunkEndTokens());
        assertEquals("\t\t|\t\t", o.wordSep());
        assertEquals(" ", o.labelSep());
        assertEquals(1.0, o.contextLevelRate());
        assertEquals(false, o.useContextLevelFilter());
        assertEquals(true, o.useTokenLevelFilter());
        assertEquals(0.25, o.withRate(0.25).rate());
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheParameter() {
        rejects("rate", () -> CompressionOptions.builder().rate(0).build());
        rejects("rate", () -> CompressionOptions.builder().rate(1.01).build());
        rejects("rate", () -> CompressionOptions.builder().rate(Double.NaN).build());
        rejects("target_token", () -> CompressionOptions.builder().targetToken(-2).build());
        rejects("target_context", () -> CompressionOptions.builder().targetContext(-5).build());
        rejects("context_level_target_token", () -> CompressionOptions.builder().contextLevelTargetToken(-3).build());
        rejects("context_level_rate", () -> CompressionOptions.builder().contextLevelRate(0).build());
        rejects("force_context_ids", () -> CompressionOptions.builder().forceContextIds(List.of(-1)).build());
        rejects("force_tokens", () -> CompressionOptions.builder().forceTokens(List.of("")).build());
        rejects("force_tokens", () -> CompressionOptions.builder().forceTokens(Arrays.asList("a", null)).build());
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add("t" + i);
        }
        rejects("force_tokens", () -> CompressionOptions.builder().forceTokens(many).build());
        CompressionOptions.builder().forceTokens(many.subList(0, 100)).build();
        rejects("token_to_word", () -> TokenToWord.parse("max"));
        rejects("token_to_word", () -> CompressionOptions.builder().tokenToWord(null).build());
        rejects("context", () -> new CompressionJob(Arrays.asList("a", null), CompressionOptions.defaults()));
        assertEquals(TokenToWord.FIRST, TokenToWord.parse("first"));
        assertEquals("mean", TokenToWord.MEAN.apiName());
    }

    @Test
    void ratioAndRateStringsRoundLikePython() {
        assertEquals("3.3x", RatioFormat.ratioString(98, 30));
        assertEquals("30.6%", RatioFormat.rateString(98, 30));
        // 7 / 20 is 0.34999999999999997 in binary: Python prints 0.3 (String.format would say 0.4)
        assertEquals("0.3x", RatioFormat.ratioString(7, 20));
        assertEquals("285.7%", RatioFormat.rateString(7, 20));
        // 0.25 is exact: half to even gives 0.2
        assertEquals("0.2x", RatioFormat.ratioString(1, 4));
        assertEquals("400.0%", RatioFormat.rateString(1, 4));
        assertEquals("1.0x", RatioFormat.ratioString(50, 0));
        assertEquals("100.0%", RatioFormat.rateString(50, 0));
        assertEquals("1.0x", RatioFormat.ratioString(0, 0));
    }
}
