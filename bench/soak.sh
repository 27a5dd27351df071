#!/usr/bin/env bash
# LinguaGate soak: the packaged gateway with the tiny compression model against the local benchmark stub, on
# 127.0.0.1 only. First the slow-client check (connections declaring 32 MB bodies and trickling bytes: heap rise and
# how each ends), then mixed traffic for --minutes (bench/SoakBench.java). Prints answers by class, p50/p99 in the
# first and last minute, and the gateway's heap-after-GC / RSS / open files every 30 s.
#
# Exit status: 0 when both checks pass; 1 on a 5xx or transport error, heap growth > 10% from minute 2 to the end,
# a heap rise of 64 MiB or more under the slow clients, a slow client not ended with 408/413, or a harness error.
set -euo pipefail

usage() {
    cat <<'USAGE'
usage: bench/soak.sh [--minutes M] [--workers N] [--connections N] [--skip-slow-clients] [--build]

  --minutes M           mixed traffic duration (default 8; with the slow-client check the run stays under 10 min)
  --workers N           concurrent client workers (default 4)
  --connections N       slow clients (default 200)
  --skip-slow-clients   only the mixed traffic
  --build               rebuild the gateway first
USAGE
}

MINUTES=8
WORKERS=4
CONNECTIONS=200
SLOW=1
BUILD=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --minutes) MINUTES="$2"; shift ;;
        --workers) WORKERS="$2"; shift ;;
        --connections) CONNECTIONS="$2"; shift ;;
        --skip-slow-clients) SLOW=0 ;;
        --build) BUILD=1 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

die() { echo "soak: $*" >&2; exit 1; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source ./scripts/java-home.sh
JAVA="$JAVA_HOME/bin/java"
# port_in_use, free_port, wait_for, stop_all, use_work_dir, packaged_gateway
source "$ROOT/bench/lib/processes.sh"
packaged_gateway "$BUILD" || die "building the gateway failed"
MODEL_DIR="$ROOT/target/bench-model/tiny"
source "$ROOT/bench/lib/tiny-model.sh"
ensure_tiny_model "$MODEL_DIR" || die "writing the tiny model failed"

use_work_dir soak

"$JAVA_HOME/bin/javac" -d "$WORK/classes" bench/SoakBench.java bench/GatewayBench.java || die "javac failed"
UP_PORT="$(free_port "${UPSTREAM_PORT:-18281}")" || die "no free port for the upstream stub"
"$JAVA" -XX:+UseSerialGC -Xmx128m -cp "$WORK/classes" GatewayBench upstream --port "$UP_PORT" --max-seconds 900 \
    >"$WORK/upstream.log" 2>&1 &
PIDS+=($!)
wait_for 20 "${PIDS[0]}" port_in_use "$UP_PORT" || die "upstream stub did not start"

GW_PORT="$(free_port "${GATEWAY_PORT:-18280}")" || die "no free port for the gateway"
[[ "$GW_PORT" != "$UP_PORT" ]] || GW_PORT="$(free_port $((UP_PORT + 1)))"
LINGUAGATE_MODEL_PATH="$MODEL_DIR" \
LINGUAGATE_UPSTREAM_BASE_URL="http://127.0.0.1:$UP_PORT/v1" \
LINGUAGATE_COMPRESSION_MIN_TOKENS=50 \
QUARKUS_HTTP_HOST=127.0.0.1 \
QUARKUS_HTTP_PORT="$GW_PORT" \
QUARKUS_HTTP_ACCESS_LOG_ENABLED=false \
    "$JAVA" -XX:+UseG1GC -Xmx1g -jar "$JAR" >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
GW_PID="${PIDS[1]}"
ready() { curl -fsS -o /dev/null "http://127.0.0.1:$GW_PORT/q/health/ready"; }
wait_for 120 "$GW_PID" ready || { tail -n 40 "$WORK/gateway.log" >&2; die "gateway not ready"; }

echo "soak: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, gateway $(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
    "with the tiny model, -Xmx1g; reproduce: bench/soak.sh --minutes $MINUTES --workers $WORKERS" \
    "--connections $CONNECTIONS"
rc=0
if [[ "$SLOW" == 1 ]]; then
    echo
    echo "== slow clients: $CONNECTIONS connections declaring 32 MB, a byte every 500 ms (body timeout 30 s)"
    "$JAVA" -cp "$WORK/classes" SoakBench slow-clients --gateway "http://127.0.0.1:$GW_PORT" --pid "$GW_PID" \
        --connections "$CONNECTIONS" --declare 33554432 || rc=1
fi
echo
echo "== mixed traffic: $MINUTES min, $WORKERS workers"
"$JAVA" -cp "$WORK/classes" SoakBench soak --gateway "http://127.0.0.1:$GW_PORT" --pid "$GW_PID" \
    --minutes "$MINUTES" --workers "$WORKERS" || rc=1
if grep -q "	at " "$WORK/gateway.log"; then
    echo "soak: the gateway logged stack traces (log kept)" >&2
    rc=1
fi
exit $rc
