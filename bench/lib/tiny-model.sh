# Writes the tests' tiny BERT model (io.linguagate.bench.TinyBenchModel) into $1 unless it is there (sourced, not
# run; needs $JAVA and the working directory at the repository root).
ensure_tiny_model() {
    local model_dir="$1"
    if [[ -f "$model_dir/model.onnx" ]]; then
        return 0
    fi
    echo "writing the tiny model (io.linguagate.bench.TinyBenchModel) into $model_dir ..."
    local build_dir=target/bench-model/.build
    mkdir -p "$build_dir"
    ./mvnw -q -B -ntp test-compile || return 1
    ./mvnw -q -B -ntp dependency:build-classpath -Dmdep.includeScope=test \
        "-Dmdep.outputFile=$build_dir/test-classpath.txt" || return 1
    # Classpath in an @argfile: ONNX Runtime 1.29.0 crashes the JVM when the command line is longer than ~4 KB.
    printf -- '-cp "%s"\n' "target/test-classes:target/classes:$(cat "$build_dir/test-classpath.txt")" \
        > "$build_dir/tiny-args"
    rm -rf "$model_dir.partial"
    "$JAVA" --enable-native-access=ALL-UNNAMED "@$build_dir/tiny-args" io.linguagate.bench.TinyBenchModel \
        "$model_dir.partial" || return 1
    rm -rf "$model_dir"
    mv "$model_dir.partial" "$model_dir"
}
