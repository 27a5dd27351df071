package io.linguagate.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.api.Encoding;
import io.linguagate.config.CompressEndpointConfig;
import io.linguagate.config.CompressionConfig;
import io.linguagate.config.GatewayConfig;
import io.linguagate.lingua.CompressionCancelledException;
import io.linguagate.lingua.CompressionJob;
import io.linguagate.lingua.CompressionResult;
import io.linguagate.lingua.ScoredWord;
import io.linguagate.lingua.Llmlingua2Compressor;
import io.linguagate.lingua.TargetTokenCounter;
import io.linguagate.lingua.TextGuide;
import io.linguagate.model.ClassifierModel;
import io.linguagate.model.ModelService;
import io.linguagate.plan.InvalidJsonPromptException;
import io.linguagate.plan.JsonDocument;
import io.linguagate.plan.ProtectedText;
import io.linguagate.savings.PriceTable;
import io.linguagate.savings.Savings;
import io.linguagate.savings.TargetEncodings;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Function;
import java.util.Optional;

/**
 * {@code POST /v1/compress}: LLMLingua-compatible compression of a prompt without calling an LLM. The request and
 * answer use the reference's snake_case names; savings are priced for the target model the caller names. Inference
 * runs on a worker thread, never on the event loop.
 */
@ApplicationScoped
public class CompressHandler {

    /** The reference counts with GPT-4's tokenizer when no target model is named. */
    static final String DEFAULT_ENCODING = "cl100k_base";

    /** More characters than this per token no tokenizer produces (repeated characters merge, but not further). */
    static final int MAX_CHARS_PER_TOKEN = 64;

    private final long maxBodyBytes;
    private final int jsonMinStringTokens;
    private final boolean protectNumbers;
    private final int maxTokens;
    private final long timeoutMillis;
    private final long bodyTimeoutMillis;
    private final ModelService models;
    private final TargetEncodings encodings;
    private final PriceTable prices;
    private final ObjectMapper json;
    private final ErrorResponder errors;

    CompressHandler(GatewayConfig config, CompressEndpointConfig limits, CompressionConfig compression,
            ModelService models, TargetEncodings encodings, PriceTable prices, ObjectMapper json,
            ErrorResponder errors) {
        this.jsonMinStringTokens = compression.json().minStringTokens();
        this.protectNumbers = compression.protectNumbers();
        this.maxTokens = limits.maxTokens();
        this.timeoutMillis = Math.max(1, limits.timeout().toMillis());
        this.maxBodyBytes = config.maxBodySize().asLongValue();
        this.bodyTimeoutMillis = config.clientBodyTimeout().toMillis();
        this.models = models;
        this.encodings = encodings;
        this.prices = prices;
        this.json = json;
        this.errors = errors;
    }

    public void handle(RoutingContext ctx) {
        BoundedBody.readThen(ctx, maxBodyBytes, bodyTimeoutMillis, errors, body -> {
            CompressRequest request = CompressRequest.parse(JsonBodies.parse(body));
            Encoding encoding = encodingOf(request);
            ClassifierModel model = models.ready().orElseThrow(() -> new GatewayException(new OpenAiError(503,
                    "api_error", "model_unavailable", null, "The compression model is not " + (!models.configured()
                    ? "configured on this gateway" : models.problem().isPresent()
                    ? "available on this gateway (it failed to load; see /q/health/ready)" : "ready yet") + ".")));
            long chars = request.contexts().stream().mapToLong(String::length).sum();
            if (chars > (long) maxTokens * MAX_CHARS_PER_TOKEN) {
                throw tooLong(); // no tokenizer packs that many characters into a token: no need to count
            }
            var counter = TargetEncodings.counter(encoding);
            // Counted first, on a worker: the limit is about the prompt, the timeout about the compression.
            CancellableWork<Long> counting = CancellableWork.start(ctx.vertx(),
                    () -> request.contexts().stream().mapToLong(counter::count).sum());
            ClientExchange.whenClientGone(ctx, counting::cancel);
            counting.future().onComplete(counted -> {
                if (counted.failed()) {
                    errors.fail(ctx, counted.cause());
                } else if (counted.result() > maxTokens) {
                    errors.fail(ctx, tooLong());
                } else {
                    compress(ctx, request, encoding, model, counter);
                }
            });
        });
    }

    private void compress(RoutingContext ctx, CompressRequest request, Encoding encoding, ClassifierModel model,
            TargetTokenCounter counter) {
        CancellableWork<CompressionResult> work = CancellableWork.start(ctx.vertx(), () -> run(request,
                model.compressor(encoding.getName(), counter), counter));
        // Nobody waits for the result any more: stop before the next model batch.
        ClientExchange.whenClientGone(ctx, work::cancel);
        long timer = ctx.vertx().setTimer(timeoutMillis, id -> {
            work.cancel();
            errors.fail(ctx, new GatewayException(new OpenAiError(504, "api_error", "compression_timeout", null,
                    "The compression took longer than " + timeoutMillis / 1000.0 + " s "
                            + "(linguagate.compress.timeout).")));
        });
        work.future().onComplete(done -> {
            ctx.vertx().cancelTimer(timer);
            if (done.succeeded()) {
                reply(ctx, request, encoding, done.result());
            } else if (done.cause() instanceof InvalidJsonPromptException notJson) {
                errors.fail(ctx, new GatewayException(OpenAiError.invalidRequest("invalid_value", notJson.param(),
                        notJson.getMessage())));
            } else if (!(done.cause() instanceof CompressionCancelledException)) {
                errors.fail(ctx, done.cause());
            }
        });
    }

    /** The reference's compression, or with LinguaGate's opt-in protection and JSON handling. */
    private CompressionResult run(CompressRequest request, Llmlingua2Compressor compressor,
            TargetTokenCounter counter) {
        Function<String, TextGuide> guide = request.protect() ? text -> ProtectedText.guide(text, protectNumbers)
                : text -> TextGuide.NONE;
        if (request.json()) {
            return JsonDocument.compressAll(request.contexts(), request.options(), guide, jsonMinStringTokens,
                    compressor, counter);
        }
        List<TextGuide> guides = request.protect() ? request.contexts().stream().map(guide).toList() : List.of();
        return compressor.compressAll(List.of(new CompressionJob(request.contexts(), request.options(), guides)))
                .get(0);
    }

    private GatewayException tooLong() {
        return new GatewayException(new OpenAiError(413, "invalid_request_error", "prompt_too_long", "prompt",
                "The prompt is longer than this gateway's limit of " + maxTokens + " tokens "
                        + "(linguagate.compress.max-tokens)."));
    }

    private Encoding encodingOf(CompressRequest request) {
        if (request.encoding().isPresent()) {
            return encodings.byName(request.encoding().get()).orElseThrow(() -> new GatewayException(
                    OpenAiError.invalidRequest("invalid_value", "encoding", "Invalid value for 'encoding': use "
                            + "cl100k_base, o200k_base, p50k_base or r50k_base.")));
        }
        return request.model().map(encodings::forModel)
                .orElseGet(() -> encodings.byName(DEFAULT_ENCODING).orElseThrow());
    }

    private void reply(RoutingContext ctx, CompressRequest request, Encoding encoding, CompressionResult result) {
        ObjectNode body = json.createObjectNode();
        body.put("compressed_prompt", result.compressedPrompt());
        ArrayNode list = body.putArray("compressed_prompt_list");
        result.compressedPromptList().forEach(list::add);
        body.put("origin_tokens", result.originTokens());
        body.put("compressed_tokens", result.compressedTokens());
        body.put("ratio", result.ratioString());
        body.put("rate", result.rateString());
        Optional<BigDecimal> price = request.model().flatMap(prices::inputUsdPerMillion);
        body.put("saving", new Savings(request.model().orElse(""), result.originTokens(), result.compressedTokens(),
                price).savedUsd());
        body.put("saving_model", request.model().orElse(null));
        body.put("price_per_1m_input_tokens", price.orElse(null));
        body.put("encoding", encoding.getName());
        result.labeledPrompt().ifPresent(labels -> body.put("fn_labeled_original_prompt", labels));
        if (request.options().returnWords()) {
            ArrayNode words = body.putArray("words");
            for (ScoredWord word : result.words()) {
                ObjectNode entry = words.addObject().put("text", word.text());
                // No model ran (rate 1): there is no probability, and NaN is not JSON.
                if (Double.isNaN(word.prob())) {
                    entry.putNull("prob");
                } else {
                    entry.put("prob", word.prob());
                }
                entry.put("kept", word.kept());
            }
        }
        try {
            ctx.response().putHeader("content-type", "application/json")
                    .end(Buffer.buffer(json.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            errors.fail(ctx, e);
        }
    }
}
