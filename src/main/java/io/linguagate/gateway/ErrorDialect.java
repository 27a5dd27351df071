package io.linguagate.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * The shape of the errors the gateway answers itself, chosen per route: OpenAI's everywhere, Anthropic's on the
 * Anthropic routes ({@code /v1/messages}, {@code /v1/messages/*}, Anthropic clients' {@code /v1/models}). The route
 * marks its requests ({@link #mark(RoutingContext)}) before admission, so every error of the exchange — admission,
 * bad input, upstream failures, a stream cut after the headers, the shutdown — is written in the client's dialect.
 * Errors the upstream itself sends are relayed as they are, in either dialect.
 */
public enum ErrorDialect {

    /** {@code {"error":{"message","type","param","code"}}}. */
    OPENAI {
        @Override
        public Buffer json(OpenAiError error) {
            return error.toJson();
        }
    },

    /** {@code {"type":"error","error":{"type","message"}}}, types per {@link AnthropicError#typeFor(int)}. */
    ANTHROPIC {
        @Override
        public Buffer json(OpenAiError error) {
            return AnthropicError.of(error).toJson();
        }
    };

    private static final String KEY = ErrorDialect.class.getName();

    /** The error as this dialect's JSON body. */
    public abstract Buffer json(OpenAiError error);

    /**
     * The error as a server-sent event, for a stream whose status line has already gone out: {@code event: error}
     * then the dialect's JSON (both OpenAI's and Anthropic's SDKs read an {@code error} event so).
     */
    public Buffer event(OpenAiError error) {
        return Buffer.buffer("event: error\ndata: ").appendBuffer(json(error)).appendString("\n\n");
    }

    /** Makes this the dialect of {@code ctx}'s exchange. */
    public void mark(RoutingContext ctx) {
        ctx.put(KEY, this);
    }

    /** The dialect of {@code ctx}'s exchange: OpenAI's unless its route chose another. */
    public static ErrorDialect of(RoutingContext ctx) {
        ErrorDialect dialect = ctx.get(KEY);
        return dialect == null ? OPENAI : dialect;
    }
}
