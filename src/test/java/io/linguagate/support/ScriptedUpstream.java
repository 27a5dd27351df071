package io.linguagate.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An upstream whose behaviour each test scripts in code: hold a stream open until the test says so, cut the
 * connection mid-body, notice that the gateway hung up. What WireMock's canned answers cannot express.
 */
public class ScriptedUpstream implements QuarkusTestResourceLifecycleManager {

    /** Marks the test field that receives this upstream. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Inject {
    }

    private Vertx vertx;
    private HttpServer server;
    private volatile Handler<HttpServerRequest> script = req -> req.response().setStatusCode(404).end();

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(req -> script.handle(req));
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("scripted upstream did not start", e);
        }
        return Map.of("linguagate.upstream.base-url", "http://127.0.0.1:" + server.actualPort() + "/v1");
    }

    /** What the upstream does with the next requests. */
    public void script(Handler<HttpServerRequest> handler) {
        this.script = handler;
    }

    public Vertx vertx() {
        return vertx;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this,
                new TestInjector.AnnotatedAndMatchesType(Inject.class, ScriptedUpstream.class));
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
