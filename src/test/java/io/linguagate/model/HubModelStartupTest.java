package io.linguagate.model;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linguagate.support.TinyHubResource;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The whole acquisition path at start: the model id is fetched from a (local) hub into the cache, its safetensors
 * checkpoint converted to ONNX there, loaded, warmed up, and used.
 */
@QuarkusTest
@WithTestResource(WireMockUpstream.class)
@WithTestResource(TinyHubResource.class)
class HubModelStartupTest {

    @TinyHubResource.CacheDir
    Path cache;

    @Test
    void theHubModelIsFetchedConvertedAndServing() throws IOException {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'compression-model' }.data.model", equalTo(TinyHubResource.MODEL_ID));
        given().contentType("application/json").body("{\"prompt\": \"we will ship the notes on Monday.\"}")
                .when().post("/v1/compress").then().statusCode(200).body("origin_tokens", equalTo(8));
        try (Stream<Path> files = Files.walk(cache)) {
            List<Path> onnx = files.filter(f -> f.getFileName().toString().equals("model.onnx")).toList();
            assertEquals(1, onnx.size(), "one converted graph in the cache: " + onnx);
            assertTrue(onnx.get(0).toString().contains("/converted/"), onnx.get(0).toString());
        }
    }
}
