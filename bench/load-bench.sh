#!/usr/bin/env bash
# LinguaGate load benchmark: distinct chat requests with long system prompts (every one needs the model) at
# several concurrencies, through the gateway with a BERT-base-size model (the default model's size) in fp32 and
# int8, on the default settings (compression.timeout 2 s, max-queue 8, compress-behind 30 s): status mix, latency
# added over the upstream stub called directly in the same run, CPU use after the last answer, throughput.
# Runs bench/LoadBench.java; see bench/README.md.
#
# Exit status: 0 when it ran, 1 on harness errors (a non-200 answer included), 2 on usage errors.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/load-bench.sh [--precisions fp32,int8] [--requests N] [--runs T:C,...] [--build] [--model-dir DIR]

  --precisions P     converted BERT-base-size checkpoints to load, one gateway each (default fp32,int8); built
                     by the precision bench's converter run (random weights: timing only)
  --model-dir DIR    instead: one gateway with this model directory
  --requests N       requests per run (default 20)
  --runs T:C[:repeat],...  prompt tokens : concurrency per run, :repeat = one prompt for all requests
                     (default 1000:1,2000:1,2000:4,2000:8,2000:1:repeat)
  --build            always build the gateway jar
  --verbose          print every request's status and latency
environment: JAVA_HOME, GATEWAY_JAVA_OPTS (default -XX:+UseG1GC -Xmx2g), GATEWAY_PORT / UPSTREAM_PORT,
             GATEWAY_ENV (extra VAR=value settings for the gateway, space-separated)
EOF
}

PRECISIONS=fp32,int8
MODEL_DIR_ARG=""
REQUESTS=20
RUNS=1000:1,2000:1,2000:4,2000:8,2000:1:repeat
BUILD=0
VERBOSE=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --precisions) PRECISIONS="$2"; shift ;;
        --model-dir) MODEL_DIR_ARG="$2"; shift ;;
        --requests) REQUESTS="$2"; shift ;;
        --runs) RUNS="$2"; shift ;;
        --build) BUILD=1 ;;
        --verbose) VERBOSE=(--verbose 1) ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:--XX:+UseG1GC -Xmx2g}"
STUB_JAVA_OPTS="-XX:+UseSerialGC -Xms128m -Xmx128m"
CLIENT_JAVA_OPTS="-XX:+UseSerialGC -Xms256m -Xmx512m"

die() { echo "load-bench: $*" >&2; exit 1; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source ./scripts/java-home.sh
JAVA="$JAVA_HOME/bin/java"
# port_in_use, free_port, wait_for, stop_all, use_work_dir, packaged_gateway
source "$ROOT/bench/lib/processes.sh"
packaged_gateway "$BUILD" || die "building the gateway failed"

LABELS=()
DIRS=()
if [[ -n "$MODEL_DIR_ARG" ]]; then
    LABELS=("$(basename "$MODEL_DIR_ARG")")
    DIRS=("$MODEL_DIR_ARG")
else
    PRECISION_WORK="$ROOT/target/bench-model/bge-small-precision-bert-base"
    IFS=, read -ra EACH <<< "$PRECISIONS"
    missing=0
    for p in "${EACH[@]}"; do
        LABELS+=("$p")
        DIRS+=("$PRECISION_WORK/${p//+/-}")
        [[ -f "$PRECISION_WORK/${p//+/-}/model.onnx" ]] || missing=1
    done
    if [[ "$missing" == 1 ]]; then
        bench/compress-bench.sh --compare-precision --bert-base --precisions "$PRECISIONS" --convert-only \
            || die "converting the BERT-base-size checkpoint failed"
    fi
fi

use_work_dir load-bench
"$JAVA_HOME/bin/javac" -d "$WORK/classes" bench/LoadBench.java bench/ChatBench.java bench/GatewayBench.java \
    || die "javac failed"
UP_PORT="$(free_port "${UPSTREAM_PORT:-18181}")" || die "no free port for the upstream stub"
# shellcheck disable=SC2086
"$JAVA" $STUB_JAVA_OPTS -cp "$WORK/classes" GatewayBench upstream --port "$UP_PORT" --max-seconds 7200 \
    >"$WORK/upstream.log" 2>&1 &
STUB_PID=$!
PIDS+=("$STUB_PID")
wait_for 20 "$STUB_PID" port_in_use "$UP_PORT" || die "upstream stub did not start"

echo "date     : $(date -u '+%Y-%m-%d %H:%M UTC'); host $(nproc) cores, $(uname -sr); stub, gateway and client share them"
echo "gateway  : $JAR ($(git rev-parse --short HEAD 2>/dev/null || echo unknown)), flags $GATEWAY_JAVA_OPTS"
echo "settings : default (compression.timeout 2 s, max-queue 8, behind-budget 30 s, max-behind 1, batch-window 2 ms) ${GATEWAY_ENV:-}"
REPRO="bench/load-bench.sh --requests $REQUESTS --runs $RUNS"
if [[ -n "$MODEL_DIR_ARG" ]]; then REPRO+=" --model-dir $MODEL_DIR_ARG"; else REPRO+=" --precisions $PRECISIONS"; fi
[[ -z "${GATEWAY_ENV:-}" ]] || REPRO="GATEWAY_ENV=\"$GATEWAY_ENV\" $REPRO"
echo "reproduce: $REPRO"
echo
for i in "${!DIRS[@]}"; do
    GW_PORT="$(free_port "${GATEWAY_PORT:-18180}")" || die "no free port for the gateway"
    [[ "$GW_PORT" != "$UP_PORT" ]] || GW_PORT="$(free_port $((UP_PORT + 1)))"
    echo "model ${LABELS[$i]}: ${DIRS[$i]} (model.onnx $(du -h "${DIRS[$i]}/model.onnx" | cut -f1))"
    # shellcheck disable=SC2086
    env ${GATEWAY_ENV:-} \
    LINGUAGATE_MODEL_PATH="${DIRS[$i]}" \
    LINGUAGATE_UPSTREAM_BASE_URL="http://127.0.0.1:$UP_PORT/v1" \
    QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$GW_PORT" QUARKUS_HTTP_ACCESS_LOG_ENABLED=false \
        "$JAVA" $GATEWAY_JAVA_OPTS -jar "$JAR" >"$WORK/gateway-$i.log" 2>&1 &
    GW_PID=$!
    PIDS+=("$GW_PID")
    ready() { curl -fsS -o /dev/null "http://127.0.0.1:$GW_PORT/q/health/ready"; }
    wait_for 300 "$GW_PID" ready || { tail -n 40 "$WORK/gateway-$i.log" >&2; die "gateway not ready"; }
    # shellcheck disable=SC2086
    "$JAVA" $CLIENT_JAVA_OPTS -cp "$WORK/classes" LoadBench --gateway "http://127.0.0.1:$GW_PORT/v1" \
        --direct "http://127.0.0.1:$UP_PORT/v1" --pid "$GW_PID" --label "${LABELS[$i]}" --requests "$REQUESTS" \
        --runs "$RUNS" "${VERBOSE[@]}" || { tail -n 30 "$WORK/gateway-$i.log" >&2; die "LoadBench failed"; }
    # Cross-request batching at work: model calls that carried more than one request's chunks.
    curl -fsS "http://127.0.0.1:$GW_PORT/q/metrics" 2>/dev/null \
        | grep -E '^linguagate_(model_batch_jobs_(count|sum|max)|compression_behind_total)' | sed 's/^/  /' || true
    stop_all "$GW_PID"
    echo
done
