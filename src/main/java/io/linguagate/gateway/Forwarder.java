package io.linguagate.gateway;

import io.linguagate.upstream.Cancellation;
import io.linguagate.upstream.UpstreamApi;
import io.linguagate.upstream.UpstreamClients;
import io.linguagate.upstream.UpstreamRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** Sends a prepared request to one of the upstreams and relays the answer, or the failure, to the client. */
@ApplicationScoped
public class Forwarder {

    private static final String API = UpstreamApi.class.getName();

    private final UpstreamClients upstreams;
    private final ResponseRelay relay;
    private final ErrorResponder errors;

    Forwarder(UpstreamClients upstreams, ResponseRelay relay, ErrorResponder errors) {
        this.upstreams = upstreams;
        this.relay = relay;
        this.errors = errors;
    }

    /** To the OpenAI-compatible upstream. */
    public void forward(RoutingContext ctx, UpstreamRequest request) {
        forward(ctx, UpstreamApi.OPENAI, request);
    }

    /** To {@code api}'s upstream; {@code request}'s path is already that upstream's ({@link UpstreamApi#path}). */
    public void forward(RoutingContext ctx, UpstreamApi api, UpstreamRequest request) {
        ctx.put(API, api);
        Cancellation cancellation = new Cancellation();
        ClientExchange.whenClientGone(ctx, cancellation::cancel);
        upstreams.get(api).send(request, cancellation).subscribe().with(
                response -> relay.relay(ctx, response),
                failure -> errors.fail(ctx, failure));
    }

    /** The upstream {@code ctx}'s request went (or goes) to: the OpenAI-compatible one unless forwarded elsewhere. */
    static UpstreamApi apiOf(RoutingContext ctx) {
        UpstreamApi api = ctx.get(API);
        return api == null ? UpstreamApi.OPENAI : api;
    }

    /** The path below the gateway's {@code /v1} prefix, with the client's raw query string (400 if it could escape). */
    static String pathBelowV1(RoutingContext ctx) {
        return UpstreamPath.below(ctx.request());
    }
}
