package io.linguagate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.api.Encoding;
import io.linguagate.config.CompressionConfig;
import io.linguagate.lingua.CompressionCancelledException;
import io.linguagate.model.ModelService;
import io.linguagate.observability.CompressionMetrics;
import io.linguagate.plan.ChatCompressor;
import io.linguagate.plan.ChatOutcome;
import io.linguagate.plan.CompressionTicket;
import io.linguagate.plan.InvalidSegmentException;
import io.linguagate.plan.InvalidSettingException;
import io.linguagate.plan.RequestSettings;
import io.linguagate.savings.PriceTable;
import io.linguagate.savings.Savings;
import io.linguagate.savings.TargetEncodings;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The compression step of every compressible API request (chat completions, Responses, legacy completions,
 * Anthropic Messages; the request's {@link CompressionSurface} says which): reads the request's settings,
 * compresses its texts on a worker thread within {@code linguagate.compression.timeout}, and decides the body that
 * goes upstream. Fails open: a compressor error or timeout forwards the original request (minus the gateway's own
 * {@code compression} field). Sets the {@code x-compression-*} headers on the client response before anything is
 * forwarded, so streams carry them too.
 */
@ApplicationScoped
public class RequestCompression {

    private static final Logger LOG = Logger.getLogger(RequestCompression.class);
    private static final String BUSY = "skipped:busy";
    private static final byte[] TAG_NAME = "llmlingua".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final CompressionConfig config;
    private final ChatCompressor compressor;
    private final ModelService models;
    private final TargetEncodings encodings;
    private final PriceTable prices;
    private final CompressionMetrics metrics;
    /** Timed-out compressions still running to fill the cache. */
    private final Semaphore behindSlots;
    /** The settings of a request that sets none itself. */
    private final RequestSettings defaults;

    RequestCompression(CompressionConfig config, ChatCompressor compressor, ModelService models,
            TargetEncodings encodings, PriceTable prices, CompressionMetrics metrics) {
        this.config = config;
        this.compressor = compressor;
        this.models = models;
        this.encodings = encodings;
        this.prices = prices;
        this.metrics = metrics;
        this.behindSlots = new Semaphore(Math.max(0, config.maxBehind()));
        this.defaults = RequestSettings.of(config, MultiMap.caseInsensitiveMultiMap(), null);
    }

    /**
     * The body to forward for {@code root} (parsed from {@code original}); fails with a 400
     * {@link GatewayException} for invalid settings or tags, never for a compressor failure.
     */
    public Future<Buffer> apply(RoutingContext ctx, ObjectNode root, Buffer original, CompressionSurface surface) {
        long start = System.nanoTime();
        JsonNode field = root.remove(RequestSettings.BODY_FIELD);
        RequestSettings settings;
        try {
            settings = RequestSettings.hasControls(ctx.request().headers(), field)
                    ? RequestSettings.of(config, ctx.request().headers(), field) : defaults;
        } catch (InvalidSettingException e) {
            return Future.failedFuture(invalid(e.param(), e.getMessage()));
        }
        // What goes upstream when nothing is compressed: the original bytes, unless the gateway's own field or
        // <llmlingua> tags (its markup) must come out. Made now, before a worker starts rewriting the tree.
        Buffer untouched;
        try {
            untouched = uncompressed(surface, root, original, field != null);
        } catch (InvalidSegmentException e) {
            return Future.failedFuture(invalid(surface, e.getMessage()));
        }
        String model = surface.model();
        if (!settings.enabled() || !models.configured() || models.problem().isPresent()) {
            // A plain proxy for this request: no worker hop, no token counting. A model that failed to load
            // (required=false) means compression is off on this gateway.
            String status = models.configured() || !settings.enabled() ? "disabled" : "skipped:no-model";
            report(ctx, surface, ChatOutcome.unchanged(status, 0), start);
            return Future.succeededFuture(untouched);
        }
        Encoding encoding = encodings.forModel(model);
        Promise<Buffer> body = Promise.promise();
        AtomicBoolean decided = new AtomicBoolean();
        long timeoutMillis = Math.max(1, config.timeout().toMillis());
        CompressionTicket ticket = new CompressionTicket(start + timeoutMillis * 1_000_000L);
        CancellableWork<ChatOutcome> work = CancellableWork.start(ctx.vertx(), () -> compressor.compress(
                surface.shape(), root, settings, encoding.getName(), TargetEncodings.counter(encoding), ticket));
        long timer = ctx.vertx().setTimer(timeoutMillis, id -> {
            if (decided.compareAndSet(false, true)) {
                boolean behind = goOnBehind(ctx, work, ticket);
                LOG.warnf("Compression (%s) took longer than linguagate.compression.timeout (%d ms); forwarded "
                        + "uncompressed%s", surface.shape().surface(), timeoutMillis, behind
                        ? ", the work goes on to fill the cache (linguagate.compression.behind-budget)" : "");
                report(ctx, surface, ChatOutcome.unchanged("failed-open:timeout", ticket.originalTokens()), start);
                body.complete(untouched);
            }
        });
        ClientExchange.whenClientGone(ctx, work::cancel);
        work.future()
                .onComplete(done -> {
                    ctx.vertx().cancelTimer(timer);
                    if (!decided.compareAndSet(false, true)) {
                        return; // timed out already: the original went upstream
                    }
                    if (done.succeeded()) {
                        ChatOutcome outcome = done.result();
                        report(ctx, surface, outcome, start);
                        body.complete(outcome.rewritten() ? rewrite(original, field != null, outcome.edits())
                                : untouched);
                        if (outcome.status().equals(BUSY)) {
                            compressBehind(ctx, surface, root, settings, encoding);
                        }
                    } else if (done.cause() instanceof CompressionCancelledException gone) {
                        body.fail(gone); // the client left: nothing to forward
                    } else if (done.cause() instanceof InvalidSegmentException bad) {
                        body.fail(invalid(surface, bad.getMessage()));
                    } else {
                        LOG.warnf("Compression (%s) failed, forwarded uncompressed: %s", surface.shape().surface(),
                                done.cause().toString());
                        report(ctx, surface, ChatOutcome.unchanged("failed-open:error", ticket.originalTokens()),
                                start);
                        body.complete(untouched);
                    }
                });
        return body.future();
    }

    /**
     * Compress-behind: timed-out work whose result the next request with the same text would use goes on, within
     * {@code behind-budget} and while fewer than {@code max-behind} such jobs run, and fills the segment cache;
     * otherwise (or past the budget) it stops before its next model batch, freeing the model.
     *
     * @return whether the work goes on
     */
    private boolean goOnBehind(RoutingContext ctx, CancellableWork<ChatOutcome> work, CompressionTicket ticket) {
        if (!behindSlot()) {
            work.cancel();
            metrics.behind("stopped");
            return false;
        }
        ticket.goBehind();
        keepBehind(ctx, work);
        return true;
    }

    /**
     * Compress-behind for work skipped as busy (it could not finish before the request's deadline, so it never
     * started): with a slot free, the same compression runs now with the budget as its deadline, so that the next
     * request with this text hits the cache instead of being skipped every time. The request itself has gone on.
     */
    private void compressBehind(RoutingContext ctx, CompressionSurface surface, ObjectNode root,
            RequestSettings settings, Encoding encoding) {
        if (!behindSlot()) {
            return;
        }
        CompressionTicket ticket = new CompressionTicket(System.nanoTime() + config.behindBudget().toNanos());
        ticket.goBehind();
        keepBehind(ctx, CancellableWork.start(ctx.vertx(), () -> compressor.compress(surface.shape(), root, settings,
                encoding.getName(), TargetEncodings.counter(encoding), ticket)));
    }

    private boolean behindSlot() {
        return config.behindBudget().toMillis() > 0 && behindSlots.tryAcquire();
    }

    /** Runs {@code work} behind (its slot taken) until it ends or the budget does. */
    private void keepBehind(RoutingContext ctx, CancellableWork<ChatOutcome> work) {
        long stop = ctx.vertx().setTimer(config.behindBudget().toMillis(), id -> work.cancel());
        work.future().onComplete(done -> {
            ctx.vertx().cancelTimer(stop);
            behindSlots.release();
            boolean cached = done.succeeded() && !done.result().status().equals(BUSY);
            metrics.behind(cached ? "cached" : "stopped");
        });
    }

    /** The client's bytes without the gateway's own field and tags (only those bytes change). */
    private Buffer uncompressed(CompressionSurface surface, ObjectNode root, Buffer original, boolean fieldRemoved) {
        Map<String, String> stripped = mayHoldTags(original) && compressor.hasTags(surface.shape(), root)
                ? compressor.stripTags(surface.shape(), root) : Map.of();
        return !fieldRemoved && stripped.isEmpty() ? original : rewrite(original, fieldRemoved, stripped);
    }

    /**
     * Whether the body's bytes could hold a {@code <llmlingua>} tag: the tag's name written out, or a {@code \\u}
     * escape that could spell it. Most bodies have neither, and then no text needs to be looked at.
     */
    static boolean mayHoldTags(Buffer body) {
        int length = body.length();
        for (int i = 0; i + 1 < length; i++) {
            byte b = body.getByte(i);
            if (b == '\\' && body.getByte(i + 1) == 'u') {
                return true;
            }
            if (b == 'l' && i + TAG_NAME.length <= length) {
                int k = 1;
                while (k < TAG_NAME.length && body.getByte(i + k) == TAG_NAME[k]) {
                    k++;
                }
                if (k == TAG_NAME.length) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The client's bytes with only the edited texts replaced and the gateway's field removed. */
    private static Buffer rewrite(Buffer original, boolean fieldRemoved, Map<String, String> edits) {
        Set<String> removed = fieldRemoved ? Set.of(RequestSettings.BODY_FIELD) : Set.of();
        return Buffer.buffer(BodyRewrite.apply(original.getBytes(), removed, edits));
    }

    private void report(RoutingContext ctx, CompressionSurface surface, ChatOutcome outcome, long start) {
        long nanos = System.nanoTime() - start;
        String model = surface.model();
        String status = outcome.status();
        Savings savings = new Savings(model, outcome.originalTokens(), outcome.compressedTokens(),
                prices.inputUsdPerMillion(model));
        boolean priced = savings.usdPerMillion().isPresent();
        MultiMap headers = ctx.response().headers();
        headers.set("x-compression-status", status + (priced || !outcome.applied() ? "" : "; price-unknown"));
        headers.set("x-compression-original-tokens", Integer.toString(savings.originalTokens()));
        headers.set("x-compression-compressed-tokens", Integer.toString(savings.compressedTokens()));
        headers.set("x-compression-saved-tokens", Integer.toString(savings.savedTokens()));
        headers.set("x-compression-ratio", savings.ratio());
        headers.set("x-compression-saved-usd", savings.savedUsd().stripTrailingZeros().toPlainString());
        headers.set("x-compression-latency-ms", Long.toString(nanos / 1_000_000));
        headers.set("x-compression-model", models.name());
        headers.set("x-compression-cache", outcome.cache());
        if (surface.estimated()) {
            headers.set("x-compression-tokenizer", "estimate"); // the target's own tokenizer is not public
        }
        int colon = status.indexOf(':');
        String outcomeLabel = (colon < 0 ? status : status.substring(0, colon)).replace('-', '_');
        metrics.compressed(surface.shape().surface(), outcomeLabel, priced ? prices.canonicalName(model) : "other",
                savings.savedTokens(), savings.savedUsd(), nanos);
    }

    private static GatewayException invalid(String param, String message) {
        return new GatewayException(OpenAiError.invalidRequest("invalid_value", param, message));
    }

    /** A malformed {@code <llmlingua>} tag: the field that holds the texts. */
    private static GatewayException invalid(CompressionSurface surface, String message) {
        String field = switch (surface.shape().surface()) {
            case "responses" -> "input";
            case "completions" -> "prompt";
            default -> "messages";
        };
        return invalid(field, message);
    }
}
