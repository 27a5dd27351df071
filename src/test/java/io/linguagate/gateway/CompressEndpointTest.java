package io.linguagate.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.linguagate.support.TinyModelResource;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ValidatableResponse;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/compress} over HTTP with a real ONNX session on a test-built BERT-shaped model whose keep
 * probabilities are set per token, so every expected output below is computed by hand.
 *
 * <p>"we will ship the notes on Monday." is 8 words of one cl100k/o200k token each, with keep probabilities
 * we .20, will .30, ship .90, the .10, notes .80, on .15, Monday .95, "." .60. At rate 0.5 the threshold is the
 * 51st percentile: rank 0.51 × 7 = 3.57 between .30 and .60, so .30 + .57 × .30 = .471; kept: ship, notes, Monday, ".".
 */
@QuarkusTest
@WithTestResource(WireMockUpstream.class)
@WithTestResource(value = TinyModelResource.class, initArgs = @ResourceArg(name = "keep",
        value = "we=0.2,will=0.3,ship=0.9,the=0.1,notes=0.8,on=0.15,Monday=0.95,.=0.6"))
class CompressEndpointTest {

    static final String PROMPT = "we will ship the notes on Monday.";

    /** Fractions read as doubles (RestAssured's default, float, cannot match 1e-5 closely). */
    private static final RestAssuredConfig DOUBLES = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));

    private static ValidatableResponse compress(String body) {
        return given().config(DOUBLES).contentType("application/json").body(body).when().post("/v1/compress").then();
    }

    @Test
    void keepsTheWordsAboveTheChunkPercentileCopiedFromTheSource() {
        compress("{\"prompt\": \"" + PROMPT + "\", \"rate\": 0.5, \"model\": \"gpt-4o\"}")
                .statusCode(200)
                .body("compressed_prompt", equalTo("ship notes Monday."))
                .body("compressed_prompt_list", contains("ship notes Monday."))
                .body("origin_tokens", equalTo(8))
                .body("compressed_tokens", equalTo(4))
                .body("ratio", equalTo("2.0x"))
                .body("rate", equalTo("50.0%"))
                // 4 tokens saved at gpt-4o's $2.50 per 1M input tokens
                .body("saving", closeTo(0.00001, 1e-12))
                .body("saving_model", equalTo("gpt-4o"))
                .body("encoding", equalTo("o200k_base"));
    }

    @Test
    void wordsAndLabelsShowEachDecision() {
        compress("{\"prompt\": \"" + PROMPT + "\", \"return_words\": true, \"return_word_label\": true}")
                .statusCode(200)
                .body("words", hasSize(8))
                .body("words.text", contains("we", "will", "ship", "the", "notes", "on", "Monday", "."))
                .body("words.kept", contains(false, false, true, false, true, false, true, true))
                .body("words[2].prob", closeTo(0.9, 1e-6))
                .body("words[3].prob", closeTo(0.1, 1e-6))
                .body("fn_labeled_original_prompt", equalTo(String.join("\t\t|\t\t", "we 0", "will 0", "ship 1",
                        "the 0", "notes 1", "on 0", "Monday 1", ". 1")))
                .body("saving", equalTo(0))
                .body("saving_model", nullValue())
                .body("encoding", equalTo("cl100k_base"));
    }

    @Test
    void forceTokensAreKeptAndUnknownWordsWeighLikeTheReference() {
        // "the" is forced (probability 1). "42" is [UNK] in the tiny vocabulary (probability .1) and, as in the
        // reference, weighs as the 3 cl100k tokens of "[UNK]": 11 copies, rank 0.51 × 10 = 5.1 between .30 and .60,
        // threshold .33, so "." (.60) is kept this time. force_reserve_digit looks at the token, "[UNK]": no digit.
        compress("{\"prompt\": \"we will ship the 42 notes on Monday.\", \"force_tokens\": [\"the\"], "
                + "\"force_reserve_digit\": true}")
                .statusCode(200)
                .body("compressed_prompt", equalTo("ship the notes Monday."));
    }

    @Test
    void aListOfContextsCanDropWholeContexts() {
        // Context scores are mean keep probabilities: "ship Monday" .925 beats "we will" .25; keep one of two.
        compress("{\"prompt\": [\"we will\", \"ship Monday\"], \"context_level_rate\": 0.5, \"rate\": 1.0}")
                .statusCode(200)
                .body("compressed_prompt_list", contains("ship Monday"))
                .body("compressed_prompt", equalTo("ship Monday"));
    }

    @Test
    void longInputsAreChunkedAtSentenceEndsAndBatched() {
        // 200 sentences of 8 classifier tokens: chunks end at the last "." within 510 tokens, so they hold 63, 63,
        // 63 and 11 whole sentences, all in one batch. With k ≥ 7 copies of each sentence in a chunk the 51st
        // percentile falls on the run of .60 values (rank 0.51 × (8k − 1) ≥ 4k, the first .60 index) and "." (.60)
        // is no longer above it (a single sentence interpolates .30 → .60 instead, see above): each chunk
        // keeps ship, notes, Monday; kept words separated in the source are joined by one space.
        String prompt = String.join(" ", Collections.nCopies(200, PROMPT));
        compress("{\"prompt\": \"" + prompt + "\"}")
                .statusCode(200)
                .body("compressed_prompt", equalTo(String.join(" ", Collections.nCopies(200, "ship notes Monday"))))
                .body("origin_tokens", equalTo(1600))
                .body("compressed_tokens", equalTo(600));
    }

    @Test
    void emptyPromptsWork() {
        compress("{\"prompt\": \"\"}").statusCode(200)
                .body("compressed_prompt", equalTo(""))
                .body("origin_tokens", equalTo(0))
                .body("compressed_tokens", equalTo(0));
        compress("{\"prompt\": [\"\", \"\"]}").statusCode(200).body("origin_tokens", equalTo(0));
    }

    @Test
    void theSameRequestGivesTheSameBytes() {
        String body = "{\"prompt\": \"" + PROMPT.repeat(50) + "\", \"rate\": 0.33, \"return_words\": true}";
        String first = compress(body).statusCode(200).extract().asString();
        String second = compress(body).statusCode(200).extract().asString();
        assertEquals(first, second);
    }

    @Test
    void badInputIsA400NamingTheParameter() {
        compress("{\"prompt\": \"x\", \"rate\": 0}").statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_value"))
                .body("error.param", equalTo("rate"));
        compress("{\"rate\": 0.5}").statusCode(400).body("error.param", equalTo("prompt"));
        compress("{\"prompt\": \"x\", \"encoding\": \"gpt2\"}").statusCode(400).body("error.param", equalTo("encoding"));
        compress("{\"prompt\": ").statusCode(400).body("error.code", equalTo("invalid_json"));
    }

    @Test
    void readinessReportsTheLoadedModel() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'compression-model' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'compression-model' }.data.device", equalTo("cpu"));
    }

    @Test
    void protectIsOptInAndKeepsDatesAndUrlsVerbatim() {
        String prompt = "we will ship the notes on 2024-01-05, see https://x.test/a?b=1 on Monday.";
        String plain = given().contentType("application/json").body("{\"prompt\": \"" + prompt + "\"}")
                .post("/v1/compress").then().statusCode(200).extract().path("compressed_prompt");
        assertFalse(plain.contains("2024-01-05"), "the reference protects nothing: " + plain);
        compress("{\"prompt\": \"" + prompt + "\", \"protect\": true, \"return_words\": true}")
                .statusCode(200)
                .body("compressed_prompt", containsString("2024-01-05"))
                .body("compressed_prompt", containsString("https://x.test/a?b=1"))
                .body("words.find { it.text == '2024' }.prob", closeTo(1.0, 1e-9));
    }

    @Test
    void jsonCompressesStringValuesAndKeepsTheDocument() {
        String doc = "{\"id\": \"TCK-4100\", \"score\": 2.50, \"text\": \"" + PROMPT + " " + PROMPT + " "
                + PROMPT + "\"}";
        compress("{\"prompt\": " + quoted(doc) + ", \"json\": true}")
                .statusCode(200)
                .body("compressed_prompt", equalTo("{\"id\": \"TCK-4100\", \"score\": 2.50, \"text\": "
                        + "\"ship notes Monday. ship notes Monday. ship notes Monday.\"}"));
        compress("{\"prompt\": \"not json\", \"json\": true}").statusCode(400)
                .body("error.param", equalTo("prompt"))
                .body("error.message", containsString("JSON object or array"));
        compress("{\"prompt\": " + quoted(doc) + ", \"json\": true, \"return_words\": true}").statusCode(400)
                .body("error.param", equalTo("return_words"));
    }

    @Test
    void atRateOneAWordHasNoProbabilityNotNaN() {
        compress("{\"prompt\": \"" + PROMPT + "\", \"rate\": 1, \"return_words\": true}")
                .statusCode(200)
                .body("words[0].prob", nullValue())
                .body("words[0].kept", equalTo(true));
    }

    private static String quoted(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
