# Sourced by ./mvnw (POSIX sh), ./rmaplab and .ci/run: makes JAVA_HOME point at a JDK >= 21.
# Keeps the caller's JAVA_HOME when it is new enough; otherwise looks at the
# java on PATH, then at the JDKs under /usr/lib/jvm (the newest first).
# A JDK's version is read from its `release` file (JAVA_VERSION="25.0.3"), so
# no JVM is started to find one; a JDK without that file is asked by running it.
rmaplab_java_major() {
  # prints the major version of the JDK at $1, or nothing
  [ -x "$1/bin/javac" ] || return 0
  local line v
  if [ -r "$1/release" ]; then
    while IFS= read -r line; do
      case "$line" in
        JAVA_VERSION=*)
          v="${line#JAVA_VERSION=}"; v="${v#\"}"; v="${v%\"}"
          v="${v#1.}"              # 1.8.0_x is major 8
          v="${v%%[!0-9]*}"
          [ -n "$v" ] && { echo "$v"; return 0; }
          ;;
      esac
    done < "$1/release"
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}
rmaplab_find_jdk() {
  local cand v javac_path
  javac_path="$(command -v javac 2>/dev/null || true)"
  [ -n "$javac_path" ] && javac_path="$(dirname "$(dirname "$(readlink -f "$javac_path")")")"
  for cand in "${JAVA_HOME:-}" "$javac_path" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV) ; do
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
