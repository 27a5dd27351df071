package io.linguagate.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Limits of the gateway's own HTTP surface (prefix {@code linguagate}). */
@ConfigMapping(prefix = "linguagate")
public interface GatewayConfig {

    /** Largest request body accepted; larger bodies get 413 before anything is sent upstream. */
    @WithDefault("32M")
    MemorySize maxBodySize();

    /**
     * Longest time a client may take to send its whole request body (bodies read into memory and uploads streamed
     * through alike); slower ones get 408 and the connection is closed.
     */
    @WithDefault("30s")
    Duration clientBodyTimeout();

    /**
     * Passthrough bodies up to this size are held in memory so a 429/502/503 answer can be retried; larger ones
     * (file uploads) stream straight to the upstream and are retried only when no byte was sent.
     */
    @WithDefault("1M")
    MemorySize replayBufferSize();

    /** Requests handled at once (all routes, streams included); beyond it clients get 503 {@code gateway_overloaded}. */
    @WithDefault("1024")
    int maxConcurrentRequests();

    /**
     * Readiness goes DOWN when every request permit has been held this long with none given back (the gateway
     * would refuse all traffic); it comes back UP as soon as exchanges finish again.
     */
    @WithDefault("30s")
    Duration capacityStuckAfter();

    /**
     * On SIGTERM, how long in-flight requests and streams may take to finish (new requests get 503 meanwhile);
     * the rest are then ended, streams with an SSE error event. Below Kubernetes' default 30 s termination grace.
     */
    @WithDefault("25s")
    Duration shutdownGrace();
}
