#!/usr/bin/env bash
# LinguaGate GPU readiness benchmark: the token classifier on ONNX Runtime's CUDA execution provider at batch sizes
# 1..64 of 512-token chunks, against the CPU provider at batch 1 and 8 in the same run (GpuBench.java). Builds its
# own random-weight BERT-base-sized model with the gateway's converter (fp16 + fused ops for CUDA, fp32 for CPU).
# Refuses to measure the CPU in CUDA's place: each way CUDA can be unusable has its own exit status (below).
# See bench/README.md ("GPU inference").
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/gpu-bench.sh [--quick] [--check] [--cpu-only] [--jar gpu|cpu] [--size bert-base|bge-small]
                          [--device N] [--batches LIST] [--cpu-batches LIST] [--threads N] [--cuda-libs DIRS]
                          [--rebuild]

  --quick            fewer timed runs per batch (a smoke run; the full run is what goes into the README)
  --check            only probe CUDA (provider, libraries, device, placement) and exit: 0 = usable
  --cpu-only         CPU jar and CPU provider only (batches of --cpu-batches): what runs without a GPU
  --jar gpu|cpu      ONNX Runtime jar: gpu (default: Maven profile -Pgpu, onnxruntime_gpu) or cpu (the default
                     build's jar; without --cpu-only it shows the "no CUDA provider" exit)
  --size NAME        bert-base (default: LLMLingua-2's BERT-base multilingual shape, 12 x 768, vocab 119,647)
                     or bge-small (12 x 384, vocab 30,622)
  --device N         CUDA device ordinal (default 0)
  --batches LIST     CUDA batch sizes (default "1 2 4 8 16 32 64")
  --cpu-batches LIST CPU batch sizes (default "1 8")
  --threads N        ONNX Runtime intra-op threads (default: all cores, as the gateway)
  --cuda-libs DIRS   colon-separated folders holding CUDA 12 / cuDNN 9 libraries, put before LD_LIBRARY_PATH
  --rebuild          convert the models again (they are kept in target/gpu-bench/<size>/)

exit status:
  0   measured (with --check: CUDA is usable)
  1   harness error (no JDK >= 21, build failure)
  2   usage
  10  no CUDA provider: the CPU ONNX Runtime jar is on the classpath, or onnxruntime_gpu could not be resolved
  11  the CUDA provider library failed to load (CUDA 12 libraries missing: libcudart.so.12, libcublas*.so.12, ...)
  12  no session could be created or run on the GPU (no device visible, driver too old, cuDNN 9 missing, ...)
  13  a session was created but ONNX Runtime's profile shows the work on the CPU provider (silent fallback)

environment:
  JAVA_HOME    JDK >= 21 (else /usr/lib/jvm/temurin-25-jdk-amd64, else `java` on PATH if >= 21)
  MAVEN_ARGS   extra Maven arguments, e.g. -o when ~/.m2 already holds everything
EOF
}

QUICK=0
CHECK=0
CPU_ONLY=0
JAR=gpu
JAR_SET=0
SIZE=bert-base
DEVICE=0
BATCHES="1 2 4 8 16 32 64"
CPU_BATCHES="1 8"
THREADS=""
CUDA_LIBS=""
REBUILD=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --check) CHECK=1 ;;
        --cpu-only) CPU_ONLY=1 ;;
        --jar) JAR="$2"; JAR_SET=1; shift ;;
        --size) SIZE="$2"; shift ;;
        --device) DEVICE="$2"; shift ;;
        --batches) BATCHES="$2"; shift ;;
        --cpu-batches) CPU_BATCHES="$2"; shift ;;
        --threads) THREADS="$2"; shift ;;
        --cuda-libs) CUDA_LIBS="$2"; shift ;;
        --rebuild) REBUILD=1 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
case "$JAR" in gpu|cpu) ;; *) echo "--jar must be gpu or cpu" >&2; exit 2 ;; esac
case "$SIZE" in bert-base|bge-small) ;; *) echo "--size must be bert-base or bge-small" >&2; exit 2 ;; esac
if [[ "$CPU_ONLY" -eq 1 && "$CHECK" -eq 1 ]]; then
    echo "--check probes CUDA; it does not go with --cpu-only" >&2; exit 2
fi
if [[ "$CPU_ONLY" -eq 1 && "$JAR_SET" -eq 0 ]]; then
    JAR=cpu # no need for the 642 MB GPU jar
fi

cd "$(dirname "$0")/.."
source ./scripts/java-home.sh
WORK=target/gpu-bench
mkdir -p "$WORK"
ORT_VERSION="$(sed -n 's:.*<onnxruntime.version>\(.*\)</onnxruntime.version>.*:\1:p' pom.xml | head -1)"
if [[ -n "$CUDA_LIBS" ]]; then
    export LD_LIBRARY_PATH="$CUDA_LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

# ---- what the host offers (information; the Java side decides) -------------------------------------------------
find_lib() { # find_lib NAME: its path in LD_LIBRARY_PATH or the ldconfig cache, else nothing
    local dir
    local IFS=:
    for dir in ${LD_LIBRARY_PATH:-}; do
        if [[ -n "$dir" && -e "$dir/$1" ]]; then echo "$dir/$1"; return 0; fi
    done
    { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true; } | awk -v l="$1" '$1 == l { print $NF; exit }'
}
LABEL=""
host_report() {
    echo "== host"
    if command -v nvidia-smi >/dev/null 2>&1; then
        local gpus cuda
        gpus="$(nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv,noheader 2>&1 || true)"
        cuda="$(nvidia-smi 2>/dev/null | grep -o 'CUDA Version: [0-9.]*' | head -1 || true)"
        echo "nvidia-smi: ${gpus//$'\n'/; } (driver's ${cuda:-CUDA version: unknown})"
        LABEL="$(nvidia-smi -i "$DEVICE" --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null \
            | awk -F', ' 'NF == 2 { print $1 ", driver " $2 }' || true)"
    else
        echo "nvidia-smi: not found (no NVIDIA driver visible to this process)"
    fi
    local lib path missing=()
    for lib in libcuda.so.1 libcudart.so.12 libcublas.so.12 libcublasLt.so.12 libcurand.so.10 libcudnn.so.9; do
        path="$(find_lib "$lib")"
        if [[ -n "$path" ]]; then echo "  $lib: $path"; else echo "  $lib: MISSING"; missing+=("$lib"); fi
    done
    if [[ ${#missing[@]} -gt 0 ]]; then
        echo "onnxruntime_gpu $ORT_VERSION needs CUDA 12 + cuDNN 9 user-space libraries; missing: ${missing[*]}"
        if [[ -n "$(find_lib libcudart.so.13)" ]]; then
            echo "  (CUDA 13 libraries are here, $(find_lib libcudart.so.13): they do not satisfy a CUDA 12 build)"
        fi
    fi
}
if [[ "$CPU_ONLY" -eq 0 ]]; then
    host_report
fi

# ---- build: the project's test classes and its classpath with the chosen ONNX Runtime jar -----------------------
MVN=(./mvnw -q -B -ntp)
PROFILE=()
if [[ "$JAR" == gpu ]]; then PROFILE=(-Pgpu); fi
CP_FILE="$WORK/classpath-$JAR.txt"
echo "== build (${PROFILE[*]:-CPU jar}: com.microsoft.onnxruntime:$([[ $JAR == gpu ]] && echo onnxruntime_gpu || echo onnxruntime):$ORT_VERSION)"
if ! "${MVN[@]}" "${PROFILE[@]}" org.apache.maven.plugins:maven-dependency-plugin:3.7.0:build-classpath \
        -Dmdep.includeScope=test "-Dmdep.outputFile=$CP_FILE" >"$WORK/build.log" 2>&1; then
    cat "$WORK/build.log" >&2
    if [[ "$JAR" == gpu ]] && grep -q onnxruntime_gpu "$WORK/build.log"; then
        echo "" >&2
        echo "CUDA NOT USABLE (exit 10): com.microsoft.onnxruntime:onnxruntime_gpu:$ORT_VERSION (a 642 MB jar from" \
            "Maven Central) could not be resolved, so no ONNX Runtime with a CUDA provider is available. Nothing was" \
            "measured. Use --cpu-only for the CPU numbers alone." >&2
        exit 10
    fi
    echo "gpu-bench: resolving the classpath failed (log above)" >&2
    exit 1
fi
if [[ "$JAR" == gpu ]] && ! grep -q 'onnxruntime_gpu' "$CP_FILE"; then
    echo "CUDA NOT USABLE (exit 10): -Pgpu did not put onnxruntime_gpu on the classpath ($CP_FILE)" >&2
    exit 10
fi
if ! "${MVN[@]}" "${PROFILE[@]}" test-compile >>"$WORK/build.log" 2>&1; then
    cat "$WORK/build.log" >&2
    echo "gpu-bench: test-compile failed (log above)" >&2
    exit 1
fi
# Classpath in an @argfile: ONNX Runtime 1.29.0 crashes the JVM when the command line is longer than ~4 KB.
printf -- '-cp "%s"\n' "target/test-classes:target/classes:$(cat "$CP_FILE")" > "$WORK/java-args-$JAR"
if [[ "$REBUILD" -eq 1 ]]; then rm -rf "${WORK:?}/$SIZE"; fi
echo "build done after ${SECONDS} s"

ARGS=(--work "$WORK" --size "$SIZE" --device "$DEVICE" --batches "$BATCHES" --cpu-batches "$CPU_BATCHES")
[[ -n "$THREADS" ]] && ARGS+=(--threads "$THREADS")
[[ -n "$LABEL" ]] && ARGS+=(--label "$LABEL")
[[ "$QUICK" -eq 1 ]] && ARGS+=(--quick)
[[ "$CHECK" -eq 1 ]] && ARGS+=(--check)
[[ "$CPU_ONLY" -eq 1 ]] && ARGS+=(--cpu-only)

echo "== benchmark"
set +e
"$JAVA_HOME/bin/java" -Xmx2g -XX:+UseG1GC --enable-native-access=ALL-UNNAMED \
    -Djava.util.logging.manager=org.jboss.logmanager.LogManager "@$WORK/java-args-$JAR" \
    io.linguagate.model.GpuBench "${ARGS[@]}"
STATUS=$?
set -e
case "$STATUS" in
    0) echo "gpu-bench: done in ${SECONDS} s (build included)" ;;
    10|11|12|13)
        echo "gpu-bench: CUDA not usable, exit $STATUS after ${SECONDS} s (see bench/README.md, \"GPU inference\")" >&2 ;;
    *) echo "gpu-bench: failed with exit $STATUS after ${SECONDS} s" >&2 ;;
esac
exit "$STATUS"
