#!/usr/bin/env bash
# Runs the whole test suite (unit + @QuarkusTest integration tests) with a JDK >= 21.
set -euo pipefail
cd "$(dirname "$0")/.."
source ./scripts/java-home.sh
./mvnw -B -ntp verify "$@"
