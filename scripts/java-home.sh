# Sourced by the project's scripts: exports JAVA_HOME pointing at a JDK >= 21.
# Order: an existing JAVA_HOME that is >= 21, Temurin 25 where these machines install it, then `java` on PATH.
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}
pick_java_home() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ "$(java_major "$candidate")" -ge 21 ]; then
      echo "$candidate"; return 0
    fi
  done
  if command -v java >/dev/null 2>&1; then
    candidate="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    if [ "$(java_major "$candidate")" -ge 21 ]; then
      echo "$candidate"; return 0
    fi
  fi
  echo "No JDK >= 21 found: install one (e.g. Temurin 21 or 25) and set JAVA_HOME." >&2
  return 1
}
JAVA_HOME="$(pick_java_home)"
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
