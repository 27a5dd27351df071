package io.linguagate.upstream;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Lets the caller of {@link UpstreamClient#send} abandon the call (its client went away): an attempt in flight is
 * reset, closing its connection, and no further attempt starts. Waiting for an answer nobody will read would hold a
 * connection, and maybe keep the upstream generating a billed answer.
 */
public final class Cancellation {

    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
        for (Runnable hook : hooks) {
            if (hooks.remove(hook)) {
                hook.run();
            }
        }
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** Runs {@code hook} on cancellation (at once if already cancelled). */
    void onCancel(Runnable hook) {
        hooks.add(hook);
        if (cancelled && hooks.remove(hook)) {
            hook.run();
        }
    }
}
