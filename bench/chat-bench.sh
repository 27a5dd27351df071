#!/usr/bin/env bash
# LinguaGate chat compression benchmark: the latency that compressing a ~2k-token system prompt adds to a chat
# completion on CPU, for a cache miss (model inference) and a cache hit (segment cache), against a baseline with
# compression switched off, all in one run. Starts the upstream stub (bench/GatewayBench.java upstream) and the
# gateway with a model on 127.0.0.1, runs bench/ChatBench.java, stops everything on exit. See bench/README.md.
#
# Exit status: 0 when the benchmark ran, 1 on harness errors or a failed check (non-200 answer, a miss request
# not answered `miss`, a hit request not answered `hit`, a failed-open compression), 2 on usage errors.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/chat-bench.sh [tiny|bge-small|minilm] [--requests N] [--rounds N] [options]

  tiny|bge-small|minilm   compression model (default tiny):
                            tiny       the tests' tiny BERT (io.linguagate.bench.TinyBenchModel), inference ~free:
                                       measures the gateway's compression path around the model
                            bge-small  realistic size, 12 layers x 384 (bench/bench-model.sh)
                            minilm     realistic size, 6 layers x 384 (bench/bench-model.sh)
  --requests N            baseline and hit requests per round            (default 100)
  --miss-requests N       miss requests per round                        (default: --requests for tiny, 10 otherwise)
  --rounds N              interleaved rounds                             (default 3)
  --warmup N              discarded baseline and hit requests first      (default 2000: JIT)
  --miss-warmup N         discarded miss requests first                  (default: 300 tiny, 3 otherwise)
  --prompt-chars N        system prompt length in characters             (default 11800: ~2,000 o200k tokens)
  --seed N                prompt seed                                    (default 42)
  --surface S             API: chat (/v1/chat/completions), responses (/v1/responses: the prompt as
                          instructions) or messages (Anthropic /v1/messages: the prompt as system)  (default chat)
  --direct                also send the baseline's bodies to the stub directly (reference: the gateway's cost)
  --build                 always build the gateway (./mvnw -q -B -ntp package -DskipTests); default: only when
                          target/quarkus-app/quarkus-run.jar is missing

environment:
  JAVA_HOME               JDK >= 21 (scripts/java-home.sh: else Temurin 25/21, else `java` on PATH)
  GATEWAY_JAVA_OPTS       gateway JVM flags (default: -XX:+UseG1GC -Xmx1g)
  GATEWAY_PORT / UPSTREAM_PORT   first ports tried (defaults 18180 / 18181; the next free ones are used)
EOF
}

MODEL=tiny
BUILD=0
REQUESTS=100
MISS_REQUESTS=""
ROUNDS=3
WARMUP=2000
MISS_WARMUP=""
PROMPT_CHARS=11800
SEED=42
DIRECT=0
SURFACE=chat
while [[ $# -gt 0 ]]; do
    case "$1" in
        tiny|bge-small|minilm) MODEL="$1" ;;
        --requests) REQUESTS="$2"; shift ;;
        --miss-requests) MISS_REQUESTS="$2"; shift ;;
        --rounds) ROUNDS="$2"; shift ;;
        --warmup) WARMUP="$2"; shift ;;
        --miss-warmup) MISS_WARMUP="$2"; shift ;;
        --prompt-chars) PROMPT_CHARS="$2"; shift ;;
        --seed) SEED="$2"; shift ;;
        --surface) SURFACE="$2"; shift ;;
        --direct) DIRECT=1 ;;
        --build) BUILD=1 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
if [[ "$MODEL" == tiny ]]; then
    MISS_REQUESTS="${MISS_REQUESTS:-$REQUESTS}"; MISS_WARMUP="${MISS_WARMUP:-300}"
else
    MISS_REQUESTS="${MISS_REQUESTS:-10}"; MISS_WARMUP="${MISS_WARMUP:-3}"
fi
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:--XX:+UseG1GC -Xmx1g}"
# The stub and the client are kept light on the shared cores: serial GC, small heaps.
STUB_JAVA_OPTS="-XX:+UseSerialGC -Xms128m -Xmx128m"
CLIENT_JAVA_OPTS="-XX:+UseSerialGC -Xms256m -Xmx512m"

die() { echo "chat-bench: $*" >&2; exit 1; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source ./scripts/java-home.sh
JAVA="$JAVA_HOME/bin/java"
# port_in_use, free_port, wait_for, stop_all, use_work_dir, packaged_gateway
source "$ROOT/bench/lib/processes.sh"
packaged_gateway "$BUILD" || die "building the gateway failed"

# The model directory.
MODEL_DIR="$ROOT/target/bench-model/$MODEL"
if [[ "$MODEL" == tiny ]]; then
    source "$ROOT/bench/lib/tiny-model.sh"
    ensure_tiny_model "$MODEL_DIR" || die "writing the tiny model failed"
else
    bench/bench-model.sh "$MODEL" || die "bench/bench-model.sh $MODEL failed"
fi
[[ -f "$MODEL_DIR/model.onnx" ]] || die "$MODEL_DIR/model.onnx missing"

use_work_dir chat-bench


echo "compiling bench/ChatBench.java and bench/GatewayBench.java ..."
"$JAVA_HOME/bin/javac" -d "$WORK/classes" bench/ChatBench.java bench/GatewayBench.java || die "javac failed"

UP_PORT="$(free_port "${UPSTREAM_PORT:-18181}")" || die "no free port for the upstream stub"
"$JAVA" $STUB_JAVA_OPTS -cp "$WORK/classes" GatewayBench upstream --port "$UP_PORT" --max-seconds 3600 \
    >"$WORK/upstream.log" 2>&1 &
PIDS+=($!)
wait_for 20 "${PIDS[0]}" port_in_use "$UP_PORT" || { cat "$WORK/upstream.log" >&2; die "upstream stub did not start"; }

GW_PORT="$(free_port "${GATEWAY_PORT:-18180}")" || die "no free port for the gateway"
[[ "$GW_PORT" != "$UP_PORT" ]] || GW_PORT="$(free_port $((UP_PORT + 1)))"
# Compression timeout 60 s: a miss with a realistic-size model takes ~1 s on this CPU, more under load; the
# default 2 s would fail open and the benchmark would time the timeout instead of the compression.
# shellcheck disable=SC2086
LINGUAGATE_MODEL_PATH="$MODEL_DIR" \
LINGUAGATE_UPSTREAM_BASE_URL="http://127.0.0.1:$UP_PORT/v1" \
LINGUAGATE_ANTHROPIC_BASE_URL="http://127.0.0.1:$UP_PORT" \
LINGUAGATE_COMPRESSION_TIMEOUT=60s \
QUARKUS_HTTP_HOST=127.0.0.1 \
QUARKUS_HTTP_PORT="$GW_PORT" \
QUARKUS_HTTP_ACCESS_LOG_ENABLED=false \
    "$JAVA" $GATEWAY_JAVA_OPTS -jar "$JAR" >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
GW_PID="${PIDS[1]}"
ready() { curl -fsS -o /dev/null "http://127.0.0.1:$GW_PORT/q/health/ready"; }
# Readiness includes loading and warming up the model.
wait_for 180 "$GW_PID" ready || { tail -n 40 "$WORK/gateway.log" >&2; die "gateway not ready within 180 s"; }

REPRO="bench/chat-bench.sh $MODEL --requests $REQUESTS --miss-requests $MISS_REQUESTS --rounds $ROUNDS"
REPRO+=" --warmup $WARMUP --miss-warmup $MISS_WARMUP --prompt-chars $PROMPT_CHARS --seed $SEED --surface $SURFACE"
BENCH_MODEL=gpt-4o-mini
[[ "$SURFACE" != messages ]] || BENCH_MODEL=claude-sonnet-4-5
DIRECT_ARGS=()
if [[ "$DIRECT" == 1 ]]; then
    DIRECT_ARGS=(--direct "http://127.0.0.1:$UP_PORT/v1")
    REPRO+=" --direct"
fi

rc=0
# shellcheck disable=SC2086
"$JAVA" $CLIENT_JAVA_OPTS -cp "$WORK/classes" ChatBench \
    --gateway "http://127.0.0.1:$GW_PORT/v1" "${DIRECT_ARGS[@]}" \
    --requests "$REQUESTS" --miss-requests "$MISS_REQUESTS" --rounds "$ROUNDS" --warmup "$WARMUP" \
    --miss-warmup "$MISS_WARMUP" --prompt-chars "$PROMPT_CHARS" --seed "$SEED" --surface "$SURFACE" \
    --model "$BENCH_MODEL" \
    --info "date           : $(date -u '+%Y-%m-%d %H:%M UTC')" \
    --info "gateway        : $JAR ($(git rev-parse --short HEAD 2>/dev/null || echo unknown)), JVM $("$JAVA" -version 2>&1 | head -n 1), flags: $GATEWAY_JAVA_OPTS" \
    --info "gateway config : access log off, LINGUAGATE_COMPRESSION_TIMEOUT=60s, other settings default (rate 0.5, CPU, ONNX Runtime threads = all cores, cache 2000)" \
    --info "model          : $MODEL ($MODEL_DIR, model.onnx $(du -h "$MODEL_DIR/model.onnx" | cut -f1))" \
    --info "host           : $(nproc) cores, $(uname -sr); stub, gateway and client share them" \
    --info "upstream stub  : 127.0.0.1:$UP_PORT ($STUB_JAVA_OPTS); client: $CLIENT_JAVA_OPTS" \
    --reproduce "$REPRO" \
    || rc=$?

if [[ $rc -ne 0 ]]; then
    echo "chat-bench: ChatBench failed (exit $rc); gateway log tail:" >&2
    tail -n 30 "$WORK/gateway.log" >&2
    exit 1
fi
# Anything the gateway logged at WARN or above during the run (e.g. a compression that failed open).
if grep -qE ' (WARN|ERROR) ' "$WORK/gateway.log"; then
    echo
    echo "gateway warnings/errors during the run:"
    grep -E ' (WARN|ERROR) ' "$WORK/gateway.log" | tail -n 20
fi
