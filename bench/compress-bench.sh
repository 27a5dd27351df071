#!/usr/bin/env bash
# LinguaGate compression benchmark: time to compress 512 / 2k / 8k / 32k-token inputs with a realistic-size
# encoder on CPU, split into tokenization, ONNX inference and everything else (CompressionBench.java).
# Builds the benchmark model first if needed (bench/bench-model.sh). See bench/README.md.
set -euo pipefail

usage() {
    cat <<'EOF2'
usage: bench/compress-bench.sh [bge-small|minilm] [--threads N] [--batch N] [--sizes "512 2048 ..."]
       bench/compress-bench.sh [bge-small|minilm] --compare-precision [--precisions fp32,int8] [--bert-base]

  bge-small|minilm   benchmark model (default bge-small: 12 layers, hidden 384)
  --threads N        ONNX Runtime intra-op threads (default 2)
  --batch N          chunks per inference (default 8, the gateway's CPU default)
  --sizes LIST       input sizes in cl100k tokens (default "512 2048 8192 32768")
  --compare-shapes   CPU settings before vs after in one interleaved run (BatchShapeBench): padded batches
                     with denormals as they come, against equal-length batches with denormals flushed to zero
  --compare-precision  the bench encoder turned back into a safetensors checkpoint and converted by the project's
                     converter in each precision (PrecisionBench): interleaved timings (default sizes
                     "512 2048 8192"), speed-up, file sizes, int8-vs-fp32 word-label agreement at rates
                     0.33 / 0.5 / 0.7 on the README, then each precision's peak RSS in a JVM of its own
  --precisions LIST  with --compare-precision: comma-separated, the first is the baseline (default fp32,int8)
  --bert-base        with --compare-precision: a random-weight BERT-base-sized checkpoint (12 x 768, vocab
                     119,647) instead of the bench encoder: timings, sizes and memory only (its labels are noise)
  --convert-only     with --compare-precision: only write the converted model directories (bench/load-bench.sh)
EOF2
}

MODEL=bge-small
THREADS=2
BATCH=8
SIZES="512 2048 8192 32768"
SIZES_SET=0
PRECISIONS=fp32,int8
CHECKPOINT=bench
CONVERT_ONLY=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        bge-small|minilm) MODEL="$1" ;;
        --threads) THREADS="$2"; shift ;;
        --batch) BATCH="$2"; shift ;;
        --sizes) SIZES="$2"; SIZES_SET=1; shift ;;
        --compare-shapes) BENCH_CLASS=io.linguagate.model.BatchShapeBench ;;
        --compare-precision) BENCH_CLASS=io.linguagate.model.PrecisionBench ;;
        --precisions) PRECISIONS="$2"; shift ;;
        --bert-base) CHECKPOINT=bert-base ;;
        --convert-only) CONVERT_ONLY=1 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

cd "$(dirname "$0")/.."
source ./scripts/java-home.sh
bench/bench-model.sh "$MODEL"
WORK=target/bench-model/.build
./mvnw -q -B -ntp test-compile
./mvnw -q -B -ntp dependency:build-classpath -Dmdep.includeScope=test "-Dmdep.outputFile=$WORK/test-classpath.txt"
# Classpath in an @argfile: ONNX Runtime 1.29.0 crashes the JVM when the command line is longer than ~4 KB.
printf -- '-cp "%s"\n' "target/test-classes:target/classes:$(cat "$WORK/test-classpath.txt")" > "$WORK/bench-args"
# The corpus is the project's README: real technical prose with lists, tables and code, repeated as needed.
JAVA=("$JAVA_HOME/bin/java" -Xmx1g -XX:+UseG1GC --enable-native-access=ALL-UNNAMED
    -Djava.util.logging.manager=org.jboss.logmanager.LogManager "@$WORK/bench-args")
if [[ "${BENCH_CLASS:-}" == io.linguagate.model.PrecisionBench ]]; then
    [[ "$SIZES_SET" -eq 1 ]] || SIZES="512 2048 8192"
    ARGS=(--checkpoint "$CHECKPOINT" --threads "$THREADS" --batch "$BATCH" --sizes "$SIZES")
    # A random checkpoint's labels are noise: no agreement table for it.
    [[ "$CHECKPOINT" == bert-base ]] && ARGS+=(--rates none)
    if [[ "$CONVERT_ONLY" == 1 ]]; then
        exec "${JAVA[@]/-Xmx1g/-Xmx2g}" "$BENCH_CLASS" "target/bench-model/$MODEL" README.md "${ARGS[@]}" \
            --precisions "$PRECISIONS" --convert-only
    fi
    "${JAVA[@]/-Xmx1g/-Xmx2g}" "$BENCH_CLASS" "target/bench-model/$MODEL" README.md "${ARGS[@]}" \
        --precisions "$PRECISIONS"
    # Peak RSS per precision: each in a JVM of its own, the same compressions.
    IFS=, read -ra EACH <<< "$PRECISIONS"
    for p in "${EACH[@]}"; do
        "${JAVA[@]}" "$BENCH_CLASS" "target/bench-model/$MODEL" README.md "${ARGS[@]}" --memory "$p"
    done
    exit 0
fi
# shellcheck disable=SC2086
exec "${JAVA[@]}" "${BENCH_CLASS:-io.linguagate.model.CompressionBench}" "target/bench-model/$MODEL" README.md \
    "$THREADS" "$BATCH" $SIZES
