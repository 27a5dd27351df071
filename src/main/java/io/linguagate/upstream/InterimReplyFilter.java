package io.linguagate.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits between the HTTP codec and Vert.x on every upstream connection. Vert.x takes any 1xx other than 100 and 103
 * for the final answer, hands the real answer that follows to the next request on the pooled connection, and so
 * gives one client another client's answer. This filter consumes every interim reply (1xx but 101) so Vert.x only
 * sees final answers, and turns what is not HTTP (a 101 nobody asked for, an undecodable status line, header or
 * chunk) into an {@link UpstreamBadResponseException} that closes the connection: an exchange that did not end
 * cleanly never leaves a connection in the pool.
 */
final class InterimReplyFilter extends ChannelInboundHandlerAdapter {

    static final String NAME = "linguagate-interim-replies";
    private static final AttributeKey<UpstreamBadResponseException> WHY_CLOSED =
            AttributeKey.valueOf("linguagate-why-closed");

    private boolean skipInterimEnd;
    /** A final response head went to Vert.x and its end has not: a failure now is a failure mid-body. */
    private boolean inBody;
    private boolean broken;

    /** Why this filter closed {@code connection}, if it did; else {@code err} as it is. */
    static Throwable explain(HttpConnection connection, Throwable err) {
        if (connection instanceof ConnectionBase base) {
            UpstreamBadResponseException why = base.channel().attr(WHY_CLOSED).get();
            if (why != null) {
                return why;
            }
        }
        return err;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (broken) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof HttpObject http)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (http.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            Throwable cause = http.decoderResult().cause();
            fail(ctx, "the upstream's answer is not valid HTTP (" + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")", cause);
            return;
        }
        if (msg instanceof HttpResponse response && response.status().code() / 100 == 1) {
            ReferenceCountUtil.release(msg);
            if (response.status().code() == 101) {
                fail(ctx, "the upstream switched protocols (101) on a request that asked for no upgrade", null);
            } else {
                skipInterimEnd = !(msg instanceof LastHttpContent);
            }
            return;
        }
        if (skipInterimEnd && msg instanceof LastHttpContent) {
            // The empty end the codec emits for an interim reply.
            skipInterimEnd = false;
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse) {
            inBody = true;
        }
        if (msg instanceof LastHttpContent) {
            inBody = false;
        }
        ctx.fireChannelRead(msg);
    }

    private void fail(ChannelHandlerContext ctx, String message, Throwable cause) {
        broken = true;
        UpstreamBadResponseException bad = new UpstreamBadResponseException(message, cause);
        if (inBody) {
            // Vert.x hands the response head to the request on the request's own event loop, later; an exception
            // fired now could overtake it (and Vert.x would then complete the request twice). A close is delivered
            // in order after the head; the reason stays on the channel for explain().
            ctx.channel().attr(WHY_CLOSED).set(bad);
            ctx.close();
        } else {
            ctx.fireExceptionCaught(bad);
        }
    }
}
