#!/usr/bin/env bash
# LinguaGate benchmark: the gateway's added latency and throughput versus calling the same local upstream directly.
# Starts the upstream stub and the gateway on 127.0.0.1, runs bench/GatewayBench.java's load phases, stops
# everything on exit. See bench/README.md.
#
# Exit status: 0 when the benchmark ran (targets met or not: see the RESULT line), non-zero on harness errors
# (no JDK, build failed, a process did not start, requests could not be made at all).
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/gateway-bench.sh [--build] [--quick] [options]

  --build                 always build the gateway (./mvnw -q -B package -DskipTests); default: only when
                          target/quarkus-app/quarkus-run.jar is missing
  --quick                 short smoke run (~30 s): 1 round, short phases; numbers are indicative only
  --rate N                non-streaming open-loop rate, req/s           (BENCH_RATE, default 200)
  --warmup S              warm-up per target, discarded, s               (BENCH_WARMUP, default 5)
  --measure S             measured time per target, s                    (BENCH_MEASURE, default 20)
  --rounds N              interleaved direct/gateway rounds              (BENCH_ROUNDS, default 2)
  --stream-rate N         streaming open-loop rate, req/s                (BENCH_STREAM_RATE, default 50)
  --jit-warmup S          closed-loop JIT warm-up per target, s          (BENCH_JIT_WARMUP, default 3)
  --stream-warmup S       streaming warm-up per target, s                (BENCH_STREAM_WARMUP, default 3)
  --stream-measure S      streaming measured time per target, s          (BENCH_STREAM_MEASURE, default 10)
  --concurrency N         closed-loop workers for max throughput         (BENCH_CONCURRENCY, default 32)
  --tput-warmup S         throughput warm-up per target, s               (BENCH_TPUT_WARMUP, default 2)
  --tput-measure S        throughput measured time per target, s         (BENCH_TPUT_MEASURE, default 10)
  --phases LIST           latency,stream,throughput                      (BENCH_PHASES, default all)
  --access-log            keep the gateway's access log on (production default; off for the benchmark)

environment:
  JAVA_HOME               JDK >= 21 (else /usr/lib/jvm/temurin-25-jdk-amd64, else `java` on PATH if >= 21)
  GATEWAY_JAVA_OPTS       gateway JVM flags (default: -XX:+UseG1GC -Xms512m -Xmx512m)
  GATEWAY_PORT / UPSTREAM_PORT   first ports tried (defaults 18080 / 18081; the next free ones are used)
EOF
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD=0
RATE="${BENCH_RATE:-200}"
WARMUP="${BENCH_WARMUP:-5}"
MEASURE="${BENCH_MEASURE:-20}"
ROUNDS="${BENCH_ROUNDS:-2}"
STREAM_RATE="${BENCH_STREAM_RATE:-50}"
STREAM_WARMUP="${BENCH_STREAM_WARMUP:-3}"
STREAM_MEASURE="${BENCH_STREAM_MEASURE:-10}"
CONCURRENCY="${BENCH_CONCURRENCY:-32}"
TPUT_WARMUP="${BENCH_TPUT_WARMUP:-2}"
JIT_WARMUP="${BENCH_JIT_WARMUP:-3}"
TPUT_MEASURE="${BENCH_TPUT_MEASURE:-10}"
PHASES="${BENCH_PHASES:-latency,stream,throughput}"
ACCESS_LOG=false
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:--XX:+UseG1GC -Xms512m -Xmx512m}"
# The stub and the load generator are kept light on the shared cores: serial GC, small fixed heaps.
STUB_JAVA_OPTS="-XX:+UseSerialGC -Xms128m -Xmx128m"
LOAD_JAVA_OPTS="-XX:+UseSerialGC -Xms512m -Xmx512m"

while [[ $# -gt 0 ]]; do
    case "$1" in
        --build) BUILD=1 ;;
        --quick) JIT_WARMUP=2; WARMUP=2; MEASURE=6; ROUNDS=1; STREAM_WARMUP=1; STREAM_MEASURE=4; TPUT_WARMUP=1; TPUT_MEASURE=4 ;;
        --rate) RATE="$2"; shift ;;
        --warmup) WARMUP="$2"; shift ;;
        --measure) MEASURE="$2"; shift ;;
        --rounds) ROUNDS="$2"; shift ;;
        --stream-rate) STREAM_RATE="$2"; shift ;;
        --jit-warmup) JIT_WARMUP="$2"; shift ;;
        --stream-warmup) STREAM_WARMUP="$2"; shift ;;
        --stream-measure) STREAM_MEASURE="$2"; shift ;;
        --tput-warmup) TPUT_WARMUP="$2"; shift ;;
        --concurrency) CONCURRENCY="$2"; shift ;;
        --tput-measure) TPUT_MEASURE="$2"; shift ;;
        --phases) PHASES="$2"; shift ;;
        --access-log) ACCESS_LOG=true ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

die() { echo "gateway-bench: $*" >&2; exit 1; }

java_major() { # prints the feature version of the given java binary, or nothing
    "$1" -version 2>&1 | head -n 1 | sed -nE 's/.*version "([0-9]+)(\.[^"]*)?".*/\1/p'
}

find_jdk() {
    local candidate
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
        if [[ -n "$candidate" && -x "$candidate/bin/java" && -x "$candidate/bin/javac" ]]; then
            local v; v="$(java_major "$candidate/bin/java")"
            if [[ -n "$v" && "$v" -ge 21 ]]; then echo "$candidate"; return 0; fi
        fi
    done
    if command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1; then
        local v; v="$(java_major "$(command -v java)")"
        if [[ -n "$v" && "$v" -ge 21 ]]; then
            dirname "$(dirname "$(readlink -f "$(command -v javac)")")"; return 0
        fi
    fi
    return 1
}

JDK="$(find_jdk)" || die "no JDK >= 21 found (set JAVA_HOME)"
JAVA="$JDK/bin/java"
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"

if [[ "$BUILD" == 1 || ! -f "$JAR" ]]; then
    echo "building the gateway (./mvnw -q -B package -DskipTests) ..."
    (cd "$ROOT" && JAVA_HOME="$JDK" ./mvnw -q -B package -DskipTests) || die "build failed"
fi
[[ -f "$JAR" ]] || die "$JAR missing after build"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/linguagate-bench.XXXXXX")"
PIDS=()
KEEP_LOGS=0

# port_in_use, free_port, wait_for, stop_all
source "$ROOT/bench/lib/processes.sh"

cleanup() {
    local status=$?
    stop_all "${PIDS[@]}"
    if [[ $status -ne 0 || $KEEP_LOGS -eq 1 ]]; then
        echo "gateway-bench: logs kept in $WORK" >&2
    else
        rm -rf "$WORK"
    fi
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM


echo "compiling bench/GatewayBench.java ..."
"$JDK/bin/javac" -d "$WORK/classes" "$ROOT/bench/GatewayBench.java" || die "javac failed"

UP_PORT="$(free_port "${UPSTREAM_PORT:-18081}")" || die "no free port for the upstream stub"
"$JAVA" $STUB_JAVA_OPTS -cp "$WORK/classes" GatewayBench upstream --port "$UP_PORT" --max-seconds 1800 \
    >"$WORK/upstream.log" 2>&1 &
PIDS+=($!)
wait_for 20 "${PIDS[0]}" port_in_use "$UP_PORT" || { cat "$WORK/upstream.log" >&2; die "upstream stub did not start"; }

GW_PORT="$(free_port "${GATEWAY_PORT:-18080}")" || die "no free port for the gateway"
[[ "$GW_PORT" != "$UP_PORT" ]] || GW_PORT="$(free_port $((UP_PORT + 1)))"
# The proxy alone: no compression model (the chat benchmark, bench/chat-bench.sh, measures compression).
LINGUAGATE_MODEL_ID=none \
LINGUAGATE_UPSTREAM_BASE_URL="http://127.0.0.1:$UP_PORT/v1" \
QUARKUS_HTTP_HOST=127.0.0.1 \
QUARKUS_HTTP_PORT="$GW_PORT" \
QUARKUS_HTTP_ACCESS_LOG_ENABLED="$ACCESS_LOG" \
    "$JAVA" $GATEWAY_JAVA_OPTS -jar "$JAR" >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
GW_PID="${PIDS[1]}"
ready() { curl -fsS -o /dev/null "http://127.0.0.1:$GW_PORT/q/health/ready"; }
wait_for 60 "$GW_PID" ready || { tail -n 40 "$WORK/gateway.log" >&2; die "gateway not ready within 60 s"; }

REPRO="bench/gateway-bench.sh --jit-warmup $JIT_WARMUP --rate $RATE --warmup $WARMUP --measure $MEASURE"
REPRO+=" --rounds $ROUNDS --stream-rate $STREAM_RATE --stream-warmup $STREAM_WARMUP --stream-measure $STREAM_MEASURE"
REPRO+=" --concurrency $CONCURRENCY --tput-warmup $TPUT_WARMUP --tput-measure $TPUT_MEASURE --phases $PHASES"
if [[ "$ACCESS_LOG" == true ]]; then REPRO+=" --access-log"; fi

rc=0
"$JAVA" $LOAD_JAVA_OPTS -cp "$WORK/classes" GatewayBench load \
    --direct "http://127.0.0.1:$UP_PORT/v1" --gateway "http://127.0.0.1:$GW_PORT/v1" \
    --jit-warmup "$JIT_WARMUP" --rate "$RATE" --warmup "$WARMUP" --measure "$MEASURE" --rounds "$ROUNDS" \
    --stream-rate "$STREAM_RATE" --stream-warmup "$STREAM_WARMUP" --stream-measure "$STREAM_MEASURE" \
    --concurrency "$CONCURRENCY" --tput-warmup "$TPUT_WARMUP" --tput-measure "$TPUT_MEASURE" --phases "$PHASES" \
    --info "gateway        : $JAR ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)), JVM $("$JAVA" -version 2>&1 | head -n 1)" \
    --info "gateway flags  : $GATEWAY_JAVA_OPTS; QUARKUS_HTTP_ACCESS_LOG_ENABLED=$ACCESS_LOG (access log $( [[ $ACCESS_LOG == true ]] && echo on || echo 'off: it costs time per request'))" \
    --info "host           : $(nproc) cores, $(uname -sr); stub, gateway and load generator share them" \
    --info "upstream stub  : 127.0.0.1:$UP_PORT ($STUB_JAVA_OPTS); load generator: $LOAD_JAVA_OPTS" \
    --reproduce "GATEWAY_JAVA_OPTS='$GATEWAY_JAVA_OPTS' $REPRO" \
    || rc=$?

# The gateway's heap after the run: a heap that keeps growing across runs means requests are being retained.
if [[ -x "$JDK/bin/jcmd" ]]; then
    echo
    echo "gateway heap after the run (jcmd GC.heap_info):"
    timeout 20 "$JDK/bin/jcmd" "$GW_PID" GC.heap_info 2>/dev/null | sed -n '2,3p' || true
fi

if [[ $rc -ne 0 ]]; then
    echo "gateway-bench: load generator failed (exit $rc); gateway log tail:" >&2
    tail -n 30 "$WORK/gateway.log" >&2
    exit "$rc"
fi
