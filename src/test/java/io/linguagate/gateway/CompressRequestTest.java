package io.linguagate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.lingua.TokenToWord;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompressRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static CompressRequest parse(String json) throws Exception {
        return CompressRequest.parse(JSON.readTree(json));
    }

    private static OpenAiError rejected(String json) {
        return assertThrows(GatewayException.class, () -> parse(json)).error();
    }

    private static void assertRejected(String json, String code, String param) {
        OpenAiError error = rejected(json);
        assertEquals(400, error.status());
        assertEquals(code, error.code(), error.message());
        assertEquals(param, error.param(), error.message());
    }

    @Test
    void aStringPromptIsOneContextWithReferenceDefaults() throws Exception {
        CompressRequest request = parse("{\"prompt\": \"Hello world.\"}");
        assertEquals(List.of("Hello world."), request.contexts());
        assertFalse(request.listInput());
        assertEquals(0.5, request.options().rate());
        assertFalse(request.options().useContextLevelFilter());
        assertTrue(request.model().isEmpty());
    }

    @Test
    void aListPromptTurnsTheContextFilterOnLikeTheReferenceWrapper() throws Exception {
        CompressRequest request = parse("{\"prompt\": [\"a\", \"\", \"c\"], \"model\": \"gpt-4o\"}");
        assertEquals(List.of("a", "", "c"), request.contexts());
        assertTrue(request.options().useContextLevelFilter());
        assertEquals("gpt-4o", request.model().orElseThrow());
        assertFalse(parse("{\"prompt\": [\"a\"], \"use_context_level_filter\": false}")
                .options().useContextLevelFilter());
    }

    @Test
    void everyReferenceOptionIsRead() throws Exception {
        CompressRequest request = parse("""
                {"prompt": "x", "rate": 0.3, "target_token": 40, "force_tokens": ["\\n", "?"],
                 "force_reserve_digit": true, "drop_consecutive": true, "token_to_word": "first",
                 "chunk_end_tokens": ["."], "use_context_level_filter": true, "context_level_rate": 0.8,
                 "target_context": 2, "context_level_target_token": 100, "force_context_ids": [0, 3],
                 "return_word_label": true, "word_sep": "|", "label_sep": ":", "return_words": true,
                 "use_token_level_filter": false, "encoding": "o200k_base"}""");
        var o = request.options();
        assertEquals(0.3, o.rate());
        assertEquals(40, o.targetToken());
        assertEquals(List.of("\n", "?"), o.forceTokens());
        assertTrue(o.forceReserveDigit() && o.dropConsecutive() && o.useContextLevelFilter());
        assertEquals(TokenToWord.FIRST, o.tokenToWord());
        assertEquals(List.of("."), o.chunkEndTokens());
        assertEquals(0.8, o.contextLevelRate());
        assertEquals(2, o.targetContext());
        assertEquals(100, o.contextLevelTargetToken());
        assertEquals(List.of(0, 3), o.forceContextIds());
        assertTrue(o.returnWordLabel() && o.returnWords());
        assertFalse(o.useTokenLevelFilter());
        assertEquals("|", o.wordSep());
        assertEquals(":", o.labelSep());
        assertEquals("o200k_base", request.encoding().orElseThrow());
    }

    @Test
    void emptyPromptsAreFine() throws Exception {
        assertEquals(List.of(""), parse("{\"prompt\": \"\"}").contexts());
        assertEquals(List.of(), parse("{\"prompt\": []}").contexts());
    }

    @Test
    void badValuesAreRefusedNamingTheParameter() {
        assertRejected("{\"prompt\": \"x\", \"rate\": 0}", "invalid_value", "rate");
        assertRejected("{\"prompt\": \"x\", \"rate\": 1.5}", "invalid_value", "rate");
        assertRejected("{\"prompt\": \"x\", \"target_token\": -5}", "invalid_value", "target_token");
        assertRejected("{\"prompt\": \"x\", \"token_to_word\": \"max\"}", "invalid_value", "token_to_word");
        assertRejected("{\"prompt\": \"x\", \"force_context_ids\": [-1]}", "invalid_value", "force_context_ids");
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i <= 100; i++) {
            many.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        assertRejected("{\"prompt\": \"x\", \"force_tokens\": " + many + "]}", "invalid_value", "force_tokens");
    }

    @Test
    void wrongTypesAreRefusedNamingTheParameter() {
        assertRejected("{\"prompt\": \"x\", \"rate\": \"0.5\"}", "invalid_type", "rate");
        assertRejected("{\"prompt\": \"x\", \"target_token\": 1.5}", "invalid_type", "target_token");
        assertRejected("{\"prompt\": \"x\", \"force_tokens\": \"\\n\"}", "invalid_type", "force_tokens");
        assertRejected("{\"prompt\": \"x\", \"return_words\": \"yes\"}", "invalid_type", "return_words");
        assertRejected("{\"prompt\": [\"a\", 1]}", "invalid_type", "prompt");
        assertRejected("{\"prompt\": 42}", "invalid_type", "prompt");
        assertRejected("[1, 2]", "invalid_type", null);
    }

    @Test
    void missingPromptAndUnknownParametersAreRefused() {
        assertRejected("{\"rate\": 0.5}", "missing_required_parameter", "prompt");
        assertRejected("{\"prompt\": null}", "missing_required_parameter", "prompt");
        OpenAiError unknown = rejected("{\"prompt\": \"x\", \"ratio\": 0.5}");
        assertEquals("unknown_parameter", unknown.code());
        assertEquals("ratio", unknown.param());
    }
}
