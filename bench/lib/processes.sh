# Process helpers shared by the benchmark scripts (sourced, not run).

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() { # first port from $1 that nothing listens on (20 tries)
    local p="$1"
    for _ in $(seq 1 20); do
        if ! port_in_use "$p"; then echo "$p"; return 0; fi
        p=$((p + 2))
    done
    return 1
}

wait_for() { # wait_for SECONDS PID CHECK-COMMAND...: polls every 0.2 s while PID lives
    local seconds="$1" pid="$2"; shift 2
    local tries=$((seconds * 5))
    for _ in $(seq 1 "$tries"); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}

stop_all() { # stop_all PID...: TERM each, up to 10 s for a graceful stop, then KILL
    local pid
    for pid in "$@"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "$@"; do
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}

use_work_dir() { # use_work_dir NAME: sets WORK (a temp folder) and PIDS; on exit stops PIDS, keeps WORK on failure
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/linguagate-$1.XXXXXX")"
    PIDS=()
    WORK_NAME="$1"
    trap work_dir_cleanup EXIT
    trap 'exit 130' INT TERM
}

work_dir_cleanup() {
    local status=$?
    stop_all "${PIDS[@]}"
    if [[ $status -ne 0 ]]; then
        echo "$WORK_NAME: logs kept in $WORK" >&2
    else
        rm -rf "$WORK"
    fi
    exit $status
}

packaged_gateway() { # packaged_gateway BUILD: sets JAR; builds the gateway when BUILD is 1 or the jar is missing
    JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
    if [[ "$1" == 1 || ! -f "$JAR" ]]; then
        echo "building the gateway (./mvnw -q -B -ntp package -DskipTests) ..."
        ./mvnw -q -B -ntp package -DskipTests || return 1
    fi
    [[ -f "$JAR" ]]
}
