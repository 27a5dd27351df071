#!/usr/bin/env bash
# LinguaGate cold-start benchmark: time from `java -jar quarkus-run.jar` to /q/health/ready = 200, and the gateway's
# peak RSS, for (1) the first start with an empty model cache against a local fake hub (fetch + convert + load),
# (2) later starts from the cache with the hub stopped, (3) a no-model baseline (LINGUAGATE_MODEL_ID=none), all in
# one run (io.linguagate.bench.ColdStartBench, from the test classpath). See bench/README.md.
#
# Exit status: 0 when the benchmark ran, 1 on harness errors (build, a gateway that does not get ready, a start
# that did not fetch / use the cache as its phase requires), 2 on usage errors.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/cold-start.sh [tiny|bert-base] [--runs N] [--build] [--keep] [--timeout S]

  tiny|bert-base   checkpoint served by the fake hub (default tiny):
                     tiny       the tests' random BERT (2 layers, hidden 32) with the tests' tiny tokenizer
                     bert-base  random BERT-base: 12 layers, hidden 768, 12 heads, intermediate 3072,
                                vocab 119,647 (model.safetensors ~711 MB fp32; needs ~2.2 GB of disk while it runs)
  --runs N         cached starts and no-model starts, interleaved (default 3); the first start runs once
  --build          always build the gateway (./mvnw -q -B -ntp package -DskipTests); default: only when
                   target/quarkus-app/quarkus-run.jar is missing
  --keep           keep the model cache (target/cold-start/<model>/cache) instead of deleting it
  --timeout S      seconds one start may take to get ready (default 900)

environment:
  JAVA_HOME          JDK >= 21 (scripts/java-home.sh: else Temurin 25/21, else `java` on PATH)
  GATEWAY_JAVA_OPTS  gateway JVM flags (default: -Xmx2g)
EOF
}

MODEL=tiny
RUNS=3
BUILD=0
KEEP=0
TIMEOUT=900
while [[ $# -gt 0 ]]; do
    case "$1" in
        tiny|bert-base) MODEL="$1" ;;
        --runs) RUNS="${2:?--runs needs a number}"; shift ;;
        --build) BUILD=1 ;;
        --keep) KEEP=1 ;;
        --timeout) TIMEOUT="${2:?--timeout needs seconds}"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "--runs must be a positive number" >&2; exit 2; }
[[ "$TIMEOUT" =~ ^[1-9][0-9]*$ ]] || { echo "--timeout must be a positive number" >&2; exit 2; }
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:--Xmx2g}"

die() { echo "cold-start: $*" >&2; exit 1; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source ./scripts/java-home.sh
JAVA="$JAVA_HOME/bin/java"
# port_in_use, free_port, wait_for, stop_all, use_work_dir, packaged_gateway
source "$ROOT/bench/lib/processes.sh"
packaged_gateway "$BUILD" || die "building the gateway failed"

WORK="$ROOT/target/cold-start/$MODEL"
BUILD_DIR="$ROOT/target/cold-start/.build"
mkdir -p "$WORK" "$BUILD_DIR"
echo "compiling the tests (ColdStartBench, FakeHub, checkpoint writers) ..."
./mvnw -q -B -ntp test-compile || die "test-compile failed"
./mvnw -q -B -ntp dependency:build-classpath -Dmdep.includeScope=test \
    "-Dmdep.outputFile=$BUILD_DIR/test-classpath.txt" || die "dependency:build-classpath failed"
# Classpath in an @argfile: ONNX Runtime 1.29.0 crashes the JVM when the command line is longer than ~4 KB.
printf -- '-cp "%s"\n' "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$BUILD_DIR/test-classpath.txt")" \
    > "$BUILD_DIR/bench-args"

NEEDED_MB=$([[ "$MODEL" == bert-base ]] && echo 2600 || echo 50)
AVAIL_MB=$(df -Pm "$WORK" | awk 'NR==2 {print $4}')
[[ "$AVAIL_MB" -ge "$NEEDED_MB" ]] || die "only $AVAIL_MB MB free under $WORK; $MODEL needs about $NEEDED_MB MB"

echo
echo "date            : $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "host            : $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "gateway         : $JAR ($(git rev-parse --short HEAD 2>/dev/null || echo unknown)), $("$JAVA" -version 2>&1 | head -n 1), flags: $GATEWAY_JAVA_OPTS"
echo "env             : LINGUAGATE_MODEL_ID=bench-org/coldstart-$MODEL (or none), LINGUAGATE_MODEL_HUB_URL=<fake hub>, LINGUAGATE_MODEL_CACHE_DIR=$WORK/cache, LINGUAGATE_UPSTREAM_BASE_URL=http://127.0.0.1:9/v1, QUARKUS_HTTP_HOST=127.0.0.1, QUARKUS_HTTP_PORT=<free port>"

ARGS=("$MODEL" --runs "$RUNS" --jar "$JAR" --java "$JAVA" --work "$WORK" --gateway-opts "$GATEWAY_JAVA_OPTS"
    --timeout "$TIMEOUT")
[[ "$KEEP" == 1 ]] && ARGS+=(--keep)

# The bench JVM holds the checkpoint in memory for the fake hub (~677 MiB for bert-base), and the JDK's HTTP server
# copies a response body written in one call into a buffer of its own (another ~677 MiB): hence 6 GB of heap room.
# It runs in the background so that a TERM/INT to this script reaches it (its shutdown hook stops the gateway and
# deletes the cache).
"$JAVA" -Xmx6g "@$BUILD_DIR/bench-args" io.linguagate.bench.ColdStartBench "${ARGS[@]}" &
BENCH_PID=$!
trap 'kill -TERM "$BENCH_PID" 2>/dev/null; wait "$BENCH_PID" 2>/dev/null; exit 130' INT TERM
rc=0
wait "$BENCH_PID" || rc=$?
trap - INT TERM
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
[[ "$rc" == 0 ]] || die "ColdStartBench failed (exit $rc)"
if [[ "$KEEP" == 0 && -e "$WORK/cache" ]]; then
    rm -rf "$WORK/cache" || die "could not delete $WORK/cache"
fi
