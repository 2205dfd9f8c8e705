#!/usr/bin/env bash
# Duplex's benchmark in one command (docs/performance.md). Builds what is missing (the WAR, the generator, the
# Socket.IO target), then runs the generator pinned to one core while it starts each server pinned to the other.
# Options are the generator's: bench/run.sh --help. Take the shared lock on a shared machine:
#   flock /tmp/duplex-heavy.lock bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f target/duplex.war ] || [ -n "${REBUILD_WAR:-}" ]; then
  echo "# building target/duplex.war" >&2
  mvn -q -B -DskipTests package >&2
fi
echo "# building the generator (bench/pom.xml)" >&2
mvn -q -B -f bench/pom.xml compile >&2
if command -v npm >/dev/null && command -v node >/dev/null && [ ! -d bench/socketio/node_modules/socket.io ]; then
  echo "# installing Socket.IO from bench/socketio/package-lock.json" >&2
  npm ci --prefix bench/socketio --no-audit --no-fund --loglevel=error >&2
fi
command -v wrk >/dev/null || echo "# wrk is not installed: REST throughput is skipped (apt-get install wrk)" >&2

pin=()
generator_cpu=1
for a in "$@"; do [ "${prev:-}" = "--generator-cpu" ] && generator_cpu=$a; prev=$a; done
if command -v taskset >/dev/null && [ "$(nproc --all)" -ge 2 ] && [ "$generator_cpu" != none ]; then
  pin=(taskset -c "$generator_cpu")
fi
# One CPU visible to the generator's JVM: serial GC, few JIT threads, nothing else on its core.
exec "${pin[@]}" java -Xms1g -Xmx1g -XX:+UseSerialGC -cp 'bench/target/classes:bench/target/lib/*' io.duplex.bench.Bench "$@"
