#!/usr/bin/env bash
# Builds the gateway if needed and starts it (port 8080; configure with LINGUAGATE_* environment variables).
set -euo pipefail
cd "$(dirname "$0")/.."
source ./scripts/java-home.sh
echo "start.sh: using Java $(java_major "$JAVA_HOME") at $JAVA_HOME" >&2
if [ ! -f target/quarkus-app/quarkus-run.jar ] || [ "${1:-}" = "--build" ]; then
  echo "start.sh: building the gateway (./mvnw package; the first build fetches dependencies from Maven Central" \
    "and takes 1-2 minutes, later builds about 20 s)..." >&2
  ./mvnw -B -ntp -q package -DskipTests
  echo "start.sh: built target/quarkus-app/quarkus-run.jar" >&2
fi
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar
