#!/usr/bin/env bash
# Records a JVM with transparent huge pages (-XX:+UseTransparentHugePages)
# running recordings/jvm/Alloc.java, which allocates and writes 150 MiB. With
# THP the JVM maps its heap and code cache with MAP_FIXED over its own
# reservations (one-page replacements that merge with both neighbours among
# them): the recording exercises the workload's `mmap ... fixed`.
# Uses the JDK >= 21 that scripts/find-jdk.sh finds. Writes recordings/jvm-thp.*.
# Run as root.
. "$(dirname "$0")/lib.sh"
. "$REC_ROOT/scripts/find-jdk.sh"
rmaplab_find_jdk || rec_die "no JDK >= 21 found"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$JAVA_HOME/bin/javac" -d "$work" "$REC_DIR/jvm/Alloc.java" || rec_die "javac failed"
rec_run "$REC_DIR/jvm-thp" "$JAVA_HOME/bin/java" -XX:+UseTransparentHugePages -Xmx512m -cp "$work" Alloc
