#!/usr/bin/env bash
# Fetches the compression model from the hub into the cache and converts it to ONNX, then exits: for baking a
# model into an image or warming a volume before an air-gapped deployment. Uses the same settings as the gateway:
#   LINGUAGATE_MODEL_ID (default microsoft/llmlingua-2-bert-base-multilingual-cased-meetingbank),
#   LINGUAGATE_MODEL_REVISION, LINGUAGATE_MODEL_CACHE_DIR, LINGUAGATE_MODEL_PRECISION, HF_TOKEN.
set -euo pipefail
cd "$(dirname "$0")/.."
source ./scripts/java-home.sh
if [ ! -f target/quarkus-app/quarkus-run.jar ] || [ "${1:-}" = "--build" ]; then
  ./mvnw -B -ntp -q package -DskipTests
fi
LINGUAGATE_MODEL_PREFETCH_ONLY=true exec "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar
