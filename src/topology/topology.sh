#!/usr/bin/env bash
# Duplex on several nodes, without Docker: one redis-server, one Kafka broker (KRaft), one mosquitto (MQTT), two Duplex
# nodes (the built target/duplex.war, --engine redis, production mode behind a trusted proxy, the Kafka and MQTT bridges
# on, each with a management port for its metrics and health), nginx terminating TLS in front of them, and Prometheus
# scraping both nodes with the alert rules of src/monitoring, from Debian packages and Kafka's jars from Maven Central,
# on local ports, in one state directory.
#
#   src/topology/topology.sh up      start everything (again, from scratch) and wait until it is healthy
#   src/topology/topology.sh smoke   check it through the proxy (src/topology/smoke.mjs)
#   src/topology/topology.sh status  what runs, where
#   src/topology/topology.sh down    stop exactly what `up` started
#
# Needs: java, node (with `npm ci --prefix src/test/node` for the smoke test), curl, openssl, redis-server, mosquitto
# (with mosquitto-clients for the smoke test), nginx and prometheus (apt-get install redis-server mosquitto
# mosquitto-clients nginx-light openssl prometheus), and Kafka's jars in target/kafka-broker/lib (`mvn verify` puts them
# there; else this script runs `mvn -f src/test/kafka/pom.xml dependency:copy-dependencies`). Kafka's topic duplex.in
# (3 partitions) feeds the channels smoke.kafka.KEY; channels smoke.out.* go to topic duplex.out. MQTT topics
# smoke/DEVICE feed the channels smoke.mqtt.DEVICE (a shared subscription of both nodes); smoke.out.* go to
# smoke/out/*. State, logs and the generated certificate and secrets go to target/topology (DUPLEX_TOPOLOGY_DIR); the
# proxy listens on DUPLEX_HTTPS_PORT (default: a free port). The same nginx and Prometheus configurations serve
# docker-compose.yml.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
state="${DUPLEX_TOPOLOGY_DIR:-$root/target/topology}"
war="${DUPLEX_WAR:-$root/target/duplex.war}"
kafka_lib="${DUPLEX_KAFKA_LIB:-$root/target/kafka-broker/lib}"
processes=(prometheus nginx node2 node1 kafka mosquitto redis) # stopped in this order
PATH="$PATH:/usr/sbin" # Debian's mosquitto

say() { printf 'topology: %s\n' "$*"; }
die() { printf 'topology: %s\n' "$*" >&2; exit 1; }

need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 not found: $2"
}

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

pid_of() {
  local file="$state/$1.pid"
  [ -f "$file" ] && cat "$file"
}

alive() {
  local pid
  pid=$(pid_of "$1") || return 1
  kill -0 "$pid" 2>/dev/null
}

# Waits until a command succeeds, up to $1 seconds, polling every 0.2 s; the process named $2 must stay alive.
wait_for() {
  local seconds=$1 name=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    alive "$name" || die "$name exited; its log: $state/logs/$name.log
$(tail -n 20 "$state/logs/$name.log" 2>/dev/null)"
    [ $SECONDS -lt $deadline ] || die "$name not ready after ${seconds}s; its log: $state/logs/$name.log"
    sleep 0.2
  done
}

# command...: becomes the command, with the secrets of secrets.env in its environment. Call it in a subshell
# (a background job is one), so that the command keeps the subshell's pid.
with_secrets() {
  set -a
  # shellcheck disable=SC1091
  . "$state/secrets.env"
  set +a
  exec "$@"
}

start() { # name, command...: runs it in the background with its own log, remembers its pid
  local name=$1
  shift
  "$@" >"$state/logs/$name.log" 2>&1 &
  echo $! >"$state/$name.pid"
}

up() {
  need java "install Java 17 or newer"
  need node "install Node.js"
  need curl "apt-get install curl"
  need openssl "apt-get install openssl"
  need redis-server "apt-get install redis-server"
  need nginx "apt-get install nginx-light"
  need prometheus "apt-get install prometheus"
  need mosquitto "apt-get install mosquitto"
  [ -f "$war" ] || die "no $war: run 'mvn -q -DskipTests package' first"
  if ! ls "$kafka_lib"/kafka-tools-*.jar >/dev/null 2>&1; then
    need mvn "install Maven (apt-get install maven), which fetches Kafka's jars"
    say "fetching Kafka's jars into $kafka_lib (once)"
    mvn -q -B -f "$root/src/test/kafka/pom.xml" -Dbroker.lib="$kafka_lib" dependency:copy-dependencies \
      || die "could not fetch Kafka's jars (mvn -f src/test/kafka/pom.xml dependency:copy-dependencies)"
  fi
  down quietly
  rm -rf "$state"
  mkdir -p "$state/logs" "$state/tls" "$state/nginx/tmp" "$state/prometheus"
  chmod 0777 "$state/nginx/tmp" # nginx's workers run as an unprivileged user when started by root

  # Secrets for production mode, made here and kept in a file only the owner can read; never printed.
  (
    umask 077
    printf 'DUPLEX_API_KEY=%s\nDUPLEX_TOKEN_HMAC_SECRET=%s\n' "$(openssl rand -hex 24)" "$(openssl rand -hex 32)" >"$state/secrets.env"
  )
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$state/tls/key.pem" -out "$state/tls/cert.pem" >"$state/logs/openssl.log" 2>&1 \
    || die "openssl could not make the proxy's certificate: $(cat "$state/logs/openssl.log")"

  local redis_port kafka_port controller_port mqtt_port node1_port node2_port node1_management node2_management https_port prometheus_port
  redis_port=$(free_port)
  mqtt_port=$(free_port)
  kafka_port=$(free_port)
  controller_port=$(free_port)
  node1_port=$(free_port)
  node2_port=$(free_port)
  node1_management=$(free_port)
  node2_management=$(free_port)
  https_port=${DUPLEX_HTTPS_PORT:-$(free_port)}
  prometheus_port=$(free_port)
  cat >"$state/ports.env" <<EOF
REDIS_PORT=$redis_port
KAFKA_PORT=$kafka_port
MQTT_PORT=$mqtt_port
NODE1_PORT=$node1_port
NODE2_PORT=$node2_port
NODE1_MANAGEMENT_PORT=$node1_management
NODE2_MANAGEMENT_PORT=$node2_management
HTTPS_PORT=$https_port
PROMETHEUS_PORT=$prometheus_port
EOF

  start redis redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$state" --daemonize no
  wait_for 15 redis redis-cli -p "$redis_port" ping

  # Mosquitto with persistence (the nodes' sessions survive its restart); as root it would drop to the user mosquitto,
  # which cannot write the state directory.
  mkdir -p "$state/mosquitto/data"
  {
    printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\nmax_queued_messages 100000\n' \
      "$mqtt_port" "$state/mosquitto/data"
    [ "$(id -u)" -ne 0 ] || printf 'user root\n'
  } >"$state/mosquitto/mosquitto.conf"
  start mosquitto mosquitto -c "$state/mosquitto/mosquitto.conf"
  wait_for 15 mosquitto bash -c "exec 3<>/dev/tcp/127.0.0.1/$mqtt_port"

  # One KRaft node, broker and controller, with a small heap; its data in the state directory.
  mkdir -p "$state/kafka"
  cat >"$state/kafka/server.properties" <<EOF
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$kafka_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$kafka_port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
controller.quorum.voters=1@127.0.0.1:$controller_port
log.dirs=$state/kafka/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
EOF
  local kafka_java=(java -Xmx256m -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$kafka_lib/*")
  "${kafka_java[@]}" kafka.tools.StorageTool format -c "$state/kafka/server.properties" \
    -t "$("${kafka_java[@]}" kafka.tools.StorageTool random-uuid)" >"$state/logs/kafka-format.log" 2>&1 \
    || die "formatting Kafka's storage failed: $(cat "$state/logs/kafka-format.log")"
  start kafka "${kafka_java[@]}" kafka.Kafka "$state/kafka/server.properties"
  # The topics, once the broker answers: the nodes refuse to start with a topic that does not exist.
  local topic
  for topic in duplex.in duplex.out; do
    wait_for 90 kafka "${kafka_java[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$kafka_port" \
      --create --if-not-exists --topic "$topic" --partitions 3 --replication-factor 1
  done

  local node
  for node in 1 2; do
    local port_var="node${node}_port" management_var="node${node}_management"
    # The secrets reach the node through its environment, never a command line (which `ps` shows anyone). The
    # management port (metrics and health, no credentials) stays on loopback; nginx reaches the main port only.
    start "node$node" with_secrets java -Djava.io.tmpdir="$state" -jar "$war" \
      --mode production --host 127.0.0.1 --port "${!port_var}" --proxy-trusted \
      --management-port "${!management_var}" \
      --engine redis --redis-uri "redis://127.0.0.1:$redis_port" --data-dir "$state/node$node" \
      --bridges kafka,mqtt --kafka-bootstrap-servers "127.0.0.1:$kafka_port" --kafka-in-topics duplex.in \
      --kafka-in-channels 'duplex.in=smoke.kafka.{key}' --kafka-in-from earliest --kafka-out-channels 'smoke.out.*' \
      --kafka-out-topic duplex.out --mqtt-uri "mqtt://127.0.0.1:$mqtt_port" --mqtt-client-id "duplex-topology-node$node" \
      --mqtt-in-filters 'smoke/#' --mqtt-in-channels 'smoke/#=smoke.mqtt.{level:-1}' --mqtt-out-channels 'smoke.out.*'
  done
  wait_for 60 node1 curl -sf "http://127.0.0.1:$node1_management/api/health/ready"
  wait_for 60 node2 curl -sf "http://127.0.0.1:$node2_management/api/health/ready"

  sed -e "s|\${DUPLEX_NODE1}|127.0.0.1:$node1_port|" -e "s|\${DUPLEX_NODE2}|127.0.0.1:$node2_port|" \
    -e "s|\${DUPLEX_HTTPS_PORT}|127.0.0.1:$https_port|" -e "s|\${DUPLEX_TLS_CERT}|$state/tls/cert.pem|" \
    -e "s|\${DUPLEX_TLS_KEY}|$state/tls/key.pem|" "$here/nginx-duplex.conf.template" >"$state/nginx/duplex.conf"
  cat >"$state/nginx/nginx.conf" <<EOF
# Generated by src/topology/topology.sh: a whole nginx of its own, around the shared duplex.conf.
worker_processes 1;
pid $state/nginx/nginx.pid;
error_log $state/logs/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log $state/logs/nginx-access.log;
    client_body_temp_path $state/nginx/tmp/body;
    proxy_temp_path $state/nginx/tmp/proxy;
    fastcgi_temp_path $state/nginx/tmp/fastcgi;
    uwsgi_temp_path $state/nginx/tmp/uwsgi;
    scgi_temp_path $state/nginx/tmp/scgi;
    include $state/nginx/duplex.conf;
}
EOF
  nginx -t -q -p "$state/nginx" -c "$state/nginx/nginx.conf" >"$state/logs/nginx.log" 2>&1 \
    || die "nginx refused its configuration: $(cat "$state/logs/nginx.log")"
  start nginx nginx -p "$state/nginx" -c "$state/nginx/nginx.conf" -g "daemon off;"
  wait_for 15 nginx curl -sf --cacert "$state/tls/cert.pem" "https://localhost:$https_port/api/health"

  # Prometheus, with the configuration and alert rules the repository ships; only the targets are this topology's.
  cp "$root/src/monitoring/prometheus.yml" "$root/src/monitoring/alerts.yml" "$state/prometheus/"
  printf '[{"targets": ["127.0.0.1:%s", "127.0.0.1:%s"], "labels": {"topology": "topology.sh"}}]\n' \
    "$node1_management" "$node2_management" >"$state/prometheus/duplex-targets.json"
  start prometheus prometheus --config.file="$state/prometheus/prometheus.yml" --storage.tsdb.path="$state/prometheus/data" \
    --web.listen-address="127.0.0.1:$prometheus_port"
  wait_for 30 prometheus curl -sf "http://127.0.0.1:$prometheus_port/-/ready"

  say "up: https://localhost:$https_port/ (nginx, TLS) → nodes http://127.0.0.1:$node1_port and http://127.0.0.1:$node2_port → redis 127.0.0.1:$redis_port, kafka 127.0.0.1:$kafka_port, mqtt 127.0.0.1:$mqtt_port"
  say "metrics: nodes' management ports :$node1_management and :$node2_management, scraped by Prometheus at http://127.0.0.1:$prometheus_port/"
  say "trust $state/tls/cert.pem (e.g. curl --cacert); the API key and token secret are in $state/secrets.env"
}

smoke() {
  [ -f "$state/ports.env" ] && alive nginx || die "not running: start it with '$0 up'"
  [ -d "$root/src/test/node/node_modules/ws" ] || npm ci --prefix "$root/src/test/node" --no-audit --no-fund >/dev/null
  # shellcheck disable=SC1091
  . "$state/ports.env"
  (
    export NODE_EXTRA_CA_CERTS="$state/tls/cert.pem" DUPLEX_PROXY="https://localhost:$HTTPS_PORT/" \
      DUPLEX_NODES="http://127.0.0.1:$NODE1_PORT/ http://127.0.0.1:$NODE2_PORT/" \
      DUPLEX_KAFKA="127.0.0.1:$KAFKA_PORT" DUPLEX_KAFKA_LIB="$kafka_lib" DUPLEX_MQTT="$MQTT_PORT" \
      DUPLEX_MANAGEMENT="http://127.0.0.1:$NODE1_MANAGEMENT_PORT/ http://127.0.0.1:$NODE2_MANAGEMENT_PORT/" \
      DUPLEX_PROMETHEUS="http://127.0.0.1:$PROMETHEUS_PORT/" DUPLEX_LAST_NODE_PID="$(pid_of node2)"
    with_secrets node "$here/smoke.mjs"
  )
}

status() {
  local name any=
  for name in redis kafka mosquitto node1 node2 nginx prometheus; do
    if alive "$name"; then
      say "$name running (pid $(pid_of "$name"), log $state/logs/$name.log)"
      any=1
    elif pid_of "$name" >/dev/null; then
      say "$name NOT running: pid $(pid_of "$name") has exited (log $state/logs/$name.log)"
      any=1
    fi
  done
  [ -n "$any" ] || say "nothing running"
  if [ -n "$any" ] && [ -f "$state/ports.env" ]; then
    # shellcheck disable=SC1091
    . "$state/ports.env"
    say "proxy https://localhost:$HTTPS_PORT/, nodes :$NODE1_PORT and :$NODE2_PORT (management :$NODE1_MANAGEMENT_PORT and" \
      ":$NODE2_MANAGEMENT_PORT), redis :$REDIS_PORT, kafka :$KAFKA_PORT, mqtt :$MQTT_PORT, prometheus :$PROMETHEUS_PORT"
  fi
}

down() {
  local name pid quiet=${1:-}
  for name in "${processes[@]}"; do
    pid=$(pid_of "$name") || continue
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      local deadline=$((SECONDS + 20))
      while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
      if kill -0 "$pid" 2>/dev/null; then
        kill -9 "$pid" 2>/dev/null || true
        say "$name (pid $pid) did not stop in 20 s: killed"
      fi
      [ -n "$quiet" ] || say "stopped $name (pid $pid)"
    fi
    rm -f "$state/$name.pid"
  done
}

case "${1:-}" in
  up) up ;;
  smoke) smoke ;;
  status) status ;;
  down) down ;;
  *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
