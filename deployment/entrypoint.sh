#!/bin/sh
# Starts the gateway. A model baked into the image (build arg PREFETCH_MODEL) is used unless the operator names
# another one; otherwise the model is fetched into the /models volume on first start.
set -e
if [ "${LINGUAGATE_BAKED_MODEL:-none}" != "none" ]; then
  : "${LINGUAGATE_MODEL_ID:=$LINGUAGATE_BAKED_MODEL}"
  : "${LINGUAGATE_MODEL_CACHE_DIR:=/opt/linguagate/models}"
fi
: "${LINGUAGATE_MODEL_CACHE_DIR:=/models}"
export LINGUAGATE_MODEL_ID LINGUAGATE_MODEL_CACHE_DIR
[ -n "$LINGUAGATE_MODEL_ID" ] || unset LINGUAGATE_MODEL_ID
exec java $JAVA_OPTS -jar /app/quarkus-run.jar "$@"
