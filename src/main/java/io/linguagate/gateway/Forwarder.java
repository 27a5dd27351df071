package io.linguagate.gateway;

import io.linguagate.upstream.Cancellation;
import io.linguagate.upstream.UpstreamClient;
import io.linguagate.upstream.UpstreamRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** Sends a prepared request upstream and relays the answer, or the failure, to the client. */
@ApplicationScoped
public class Forwarder {

    private final UpstreamClient upstream;
    private final ResponseRelay relay;
    private final ErrorResponder errors;

    Forwarder(UpstreamClient upstream, ResponseRelay relay, ErrorResponder errors) {
        this.upstream = upstream;
        this.relay = relay;
        this.errors = errors;
    }

    public void forward(RoutingContext ctx, UpstreamRequest request) {
        Cancellation cancellation = new Cancellation();
        ClientExchange.whenClientGone(ctx, cancellation::cancel);
        upstream.send(request, cancellation).subscribe().with(
                response -> relay.relay(ctx, response),
                failure -> errors.fail(ctx, failure));
    }

    /** The path below the gateway's {@code /v1} prefix, with the client's raw query string (400 if it could escape). */
    static String pathBelowV1(RoutingContext ctx) {
        return UpstreamPath.below(ctx.request());
    }
}
