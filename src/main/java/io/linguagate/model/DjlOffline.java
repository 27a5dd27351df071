package io.linguagate.model;

/**
 * DJL phones home (usage tracking) and may try to download a CUDA build of its tokenizer library unless told it is
 * offline. The gateway must make no network call except to the upstream, so this runs before any DJL class loads
 * its native library. Settings an operator made explicitly are kept.
 */
final class DjlOffline {

    private DjlOffline() {
    }

    static void ensure() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("RUST_FLAVOR", "cpu");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
