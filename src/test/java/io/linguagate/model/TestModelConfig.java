package io.linguagate.model;

import io.linguagate.config.ModelConfig;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/** A {@link ModelConfig} for tests that load models without starting the application. */
public record TestModelConfig(Optional<Path> path, Device device, OptionalInt maxBatchSize) implements ModelConfig {

    public static TestModelConfig cpu(Path dir) {
        return new TestModelConfig(Optional.of(dir), Device.AUTO, OptionalInt.empty());
    }

    TestModelConfig withDevice(Device other) {
        return new TestModelConfig(path, other, maxBatchSize);
    }

    @Override
    public String id() {
        return "none";
    }

    @Override
    public String revision() {
        return "main";
    }

    @Override
    public String hubUrl() {
        return "http://127.0.0.1:9";
    }

    @Override
    public Optional<String> token() {
        return Optional.empty();
    }

    @Override
    public Optional<Path> cacheDir() {
        return Optional.empty();
    }

    @Override
    public Precision precision() {
        return Precision.AUTO;
    }

    @Override
    public boolean required() {
        return true;
    }

    @Override
    public boolean prefetchOnly() {
        return false;
    }

    @Override
    public boolean backgroundLoad() {
        return false;
    }

    @Override
    public BatchShape batchShape() {
        return BatchShape.AUTO;
    }

    @Override
    public int cudaDeviceId() {
        return 0;
    }

    @Override
    public OptionalInt intraOpThreads() {
        return OptionalInt.of(1);
    }

    @Override
    public int concurrentInferences() {
        return 1;
    }

    @Override
    public java.time.Duration batchWindow() {
        return java.time.Duration.ZERO;
    }

    @Override
    public Optimization optimization() {
        return Optimization.ALL;
    }
}
