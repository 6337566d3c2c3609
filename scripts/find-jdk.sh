# Sourced by ./mvnw, ./rmaplab and .ci/run: makes JAVA_HOME point at a JDK >= 21.
# Keeps the caller's JAVA_HOME when it is new enough; otherwise looks at the
# java on PATH, then at the JDKs under /usr/lib/jvm (the newest first).
rmaplab_java_major() {
  # prints the major version of the JDK at $1, or nothing
  [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}
rmaplab_find_jdk() {
  local cand v
  for cand in "${JAVA_HOME:-}" \
              "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")" \
              $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV) ; do
    [ -n "$cand" ] || continue
    cand="${cand%/}"
    v="$(rmaplab_java_major "$cand")"
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then
      export JAVA_HOME="$cand"
      return 0
    fi
  done
  echo "rmaplab: no JDK >= 21 found (looked at JAVA_HOME, the javac on PATH and /usr/lib/jvm/*)." >&2
  echo "rmaplab: install one, e.g. 'apt-get install openjdk-21-jdk-headless' or 'apt-get install temurin-21-jdk', or set JAVA_HOME." >&2
  return 1
}
