package io.linguagate.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.linguagate.support.TinyModelResource;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The XLM-RoBERTa family end to end (SentencePiece pieces, no token_type_ids input), with accents and CJK: kept
 * words come back exactly as written, with no space invented inside or around CJK text.
 *
 * <p>Only "▁Zoë", "▁東京" and "▁Monday" have keep probability .9, every other piece .1. The low words carry most
 * of the target tokens, so the 51st percentile is .1 and exactly the three high words are kept.
 */
@QuarkusTest
@WithTestResource(WireMockUpstream.class)
@WithTestResource(value = TinyModelResource.class, initArgs = {
    @ResourceArg(name = "family", value = "xlm-roberta"),
    @ResourceArg(name = "keep", value = "▁Zoë=0.9,▁東京=0.9,▁Monday=0.9")})
class CompressXlmRobertaTest {

    @Test
    void keptWordsAreCopiedFromTheSourceText() {
        given().contentType("application/json; charset=utf-8")
                .body("{\"prompt\": \"we will walk the notes on the ship, Zoë talks 東京 on Monday.\", "
                        + "\"return_words\": true}")
                .when().post("/v1/compress").then().statusCode(200)
                .body("compressed_prompt", equalTo("Zoë 東京 Monday"))
                .body("words.findAll { it.kept }.text", contains("Zoë", "東京", "Monday"));
    }
}
