#!/usr/bin/env bash
# Builds the gateway if needed and starts it (port 8080; configure with LINGUAGATE_* environment variables).
set -euo pipefail
cd "$(dirname "$0")/.."
source ./scripts/java-home.sh
if [ ! -f target/quarkus-app/quarkus-run.jar ] || [ "${1:-}" = "--build" ]; then
  ./mvnw -B -ntp -q package -DskipTests
fi
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar
