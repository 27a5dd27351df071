#!/usr/bin/env bash
# LinguaGate compression-quality benchmark: sends every item of bench/quality-corpus/ (one chat request each:
# meeting transcript, number-heavy report, prose, JSON tool results, markdown docs, multilingual text, chat history,
# fenced JSON) through the gateway at rates 0.33 / 0.5 / 0.7, takes the body a recording upstream received, and
# reports per content type x rate: achieved ratio vs requested rate, protected items kept byte-exact, JSON that still
# parses, invented words, x-compression-status. Starts the recording upstream (bench/QualityBench.java upstream) and
# the gateway with a model on 127.0.0.1, runs bench/QualityBench.java, stops everything on exit. See bench/README.md.
#
# Exit status: 0 when the benchmark ran (missed targets are reported in the table and the RESULT line, not in the
# exit status), 1 on harness errors (build, a process that does not start, a corpus error, a non-200 answer, no
# recorded body), 2 on usage errors.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/quality-bench.sh [tiny|bge-small|minilm] [--rates "0.33 0.5 0.7"] [options]

  tiny|bge-small|minilm   compression model (default tiny):
                            tiny       the tests' tiny BERT (io.linguagate.bench.TinyBenchModel): [UNK] for most
                                       words, one keep probability for all of them
                            bge-small  pretrained encoder, 12 layers x 384, random 2-class head (bench/bench-model.sh)
                            minilm     pretrained encoder, 6 layers x 384, random 2-class head (bench/bench-model.sh)
                          none of them is a trained LLMLingua-2 classifier: which words are dropped is not meaningful,
                          what is measured is what the gateway does around the model's choices
  --rates LIST            rates sent as x-compression-rate                (default "0.33 0.5 0.7")
  --corpus DIR            corpus folder, one {"type", "messages", ...} JSON file per request
                                                                          (default bench/quality-corpus)
  --examples N            missing items / invented words shown per request (default 3; 0: none)
  --save DIR              write every compressible text as sent (.orig.txt) and as forwarded (.rateR.txt) into DIR
  --build                 always build the gateway (./mvnw -q -B -ntp package -DskipTests); default: only when
                          target/quarkus-app/quarkus-run.jar is missing

environment:
  JAVA_HOME               JDK >= 21 (scripts/java-home.sh: else Temurin 25/21, else `java` on PATH)
  GATEWAY_JAVA_OPTS       gateway JVM flags (default: -XX:+UseG1GC -Xmx1g)
  GATEWAY_PORT / UPSTREAM_PORT   first ports tried (defaults 18280 / 18281; the next free ones are used)
EOF
}

MODEL=tiny
BUILD=0
RATES="0.33 0.5 0.7"
CORPUS=""
EXAMPLES=3
SAVE=""
need_value() { [[ $# -ge 2 && -n "$2" ]] || { echo "$1 needs a value" >&2; usage >&2; exit 2; }; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        tiny|bge-small|minilm) MODEL="$1" ;;
        --rates) need_value "$@"; RATES="$2"; shift ;;
        --corpus) need_value "$@"; CORPUS="$2"; shift ;;
        --examples) need_value "$@"; EXAMPLES="$2"; shift ;;
        --save) need_value "$@"; SAVE="$2"; shift ;;
        --build) BUILD=1 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
for r in $RATES; do
    [[ "$r" =~ ^(0?\.[0-9]+|1(\.0*)?)$ ]] && awk -v r="$r" 'BEGIN { exit !(r > 0 && r <= 1) }' \
        || { echo "--rates: $r is not a rate in (0, 1]" >&2; exit 2; }
done
[[ "$EXAMPLES" =~ ^[0-9]+$ ]] || { echo "--examples: not a number: $EXAMPLES" >&2; exit 2; }
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:--XX:+UseG1GC -Xmx1g}"
SIDE_JAVA_OPTS="-XX:+UseSerialGC -Xms64m -Xmx256m"

die() { echo "quality-bench: $*" >&2; exit 1; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# --corpus and --save are relative to where the script was started from.
if [[ -z "$CORPUS" ]]; then
    CORPUS="$ROOT/bench/quality-corpus"
elif [[ "$CORPUS" != /* ]]; then
    CORPUS="$PWD/$CORPUS"
fi
[[ -z "$SAVE" || "$SAVE" = /* ]] || SAVE="$PWD/$SAVE"
cd "$ROOT"
[[ -d "$CORPUS" ]] || die "corpus folder not found: $CORPUS"
source ./scripts/java-home.sh
JAVA="$JAVA_HOME/bin/java"
# port_in_use, free_port, wait_for, stop_all, use_work_dir, packaged_gateway
source "$ROOT/bench/lib/processes.sh"
packaged_gateway "$BUILD" || die "building the gateway failed"

MODEL_DIR="$ROOT/target/bench-model/$MODEL"
if [[ "$MODEL" == tiny ]]; then
    source "$ROOT/bench/lib/tiny-model.sh"
    ensure_tiny_model "$MODEL_DIR" || die "writing the tiny model failed"
else
    bench/bench-model.sh "$MODEL" || die "bench/bench-model.sh $MODEL failed"
fi
[[ -f "$MODEL_DIR/model.onnx" ]] || die "$MODEL_DIR/model.onnx missing"

use_work_dir quality-bench

echo "compiling bench/QualityBench.java ..."
"$JAVA_HOME/bin/javac" -d "$WORK/classes" bench/QualityBench.java || die "javac failed"

UP_PORT="$(free_port "${UPSTREAM_PORT:-18281}")" || die "no free port for the recording upstream"
# shellcheck disable=SC2086
"$JAVA" $SIDE_JAVA_OPTS -cp "$WORK/classes" QualityBench upstream --port "$UP_PORT" --max-seconds 3600 \
    >"$WORK/upstream.log" 2>&1 &
PIDS+=($!)
wait_for 20 "${PIDS[0]}" port_in_use "$UP_PORT" || { cat "$WORK/upstream.log" >&2; die "recording upstream did not start"; }

GW_PORT="$(free_port "${GATEWAY_PORT:-18280}")" || die "no free port for the gateway"
[[ "$GW_PORT" != "$UP_PORT" ]] || GW_PORT="$(free_port $((UP_PORT + 1)))"
# Compression timeout 60 s: with a realistic-size model on CPU a request of this corpus can take seconds; the
# default 2 s would fail open and the bench would measure the original texts instead of the compressed ones.
# shellcheck disable=SC2086
LINGUAGATE_MODEL_PATH="$MODEL_DIR" \
LINGUAGATE_UPSTREAM_BASE_URL="http://127.0.0.1:$UP_PORT/v1" \
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

REPRO="bench/quality-bench.sh $MODEL --rates \"$RATES\""
[[ "$CORPUS" == "$ROOT/bench/quality-corpus" ]] || REPRO+=" --corpus $CORPUS"
SAVE_ARGS=()
[[ -z "$SAVE" ]] || SAVE_ARGS=(--save "$SAVE")

rc=0
# shellcheck disable=SC2086
"$JAVA" $SIDE_JAVA_OPTS -cp "$WORK/classes" QualityBench run \
    --gateway "http://127.0.0.1:$GW_PORT/v1" --upstream "http://127.0.0.1:$UP_PORT" \
    --corpus "$CORPUS" --rates "$RATES" --examples "$EXAMPLES" "${SAVE_ARGS[@]}" \
    --info "date           : $(date -u '+%Y-%m-%d %H:%M UTC')" \
    --info "gateway        : $JAR ($(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src 2>/dev/null || echo ', src modified')), JVM $("$JAVA" -version 2>&1 | head -n 1)" \
    --info "gateway config : LINGUAGATE_COMPRESSION_TIMEOUT=60s, access log off, other settings default (protect-numbers on, min-tokens 200)" \
    --info "model          : $MODEL ($MODEL_DIR, model.onnx $(du -h "$MODEL_DIR/model.onnx" | cut -f1))" \
    --reproduce "$REPRO" \
    || rc=$?

if [[ $rc -ne 0 ]]; then
    echo "quality-bench: QualityBench failed (exit $rc); gateway log tail:" >&2
    tail -n 30 "$WORK/gateway.log" >&2
    exit 1
fi
if grep -qE ' (WARN|ERROR) ' "$WORK/gateway.log"; then
    echo
    echo "gateway warnings/errors during the run:"
    grep -E ' (WARN|ERROR) ' "$WORK/gateway.log" | tail -n 20
fi
