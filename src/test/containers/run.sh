#!/usr/bin/env bash
# Deploys the very target/duplex.war that `mvn package` built to real containers and proves it there:
# for each container, fetch it from Maven Central (cached in the local Maven repository), unpack it fresh,
# start it on free ports of 127.0.0.1, deploy the WAR, run the contract suite against its base URL
# (src/test/node/contract.test.mjs: REST publish → WebSocket delivery, recovery, sessions, OpenAPI, errors, and an
# event stream: SSE events, its close event on DELETE of the session, resumption from Last-Event-ID) and the
# STOMP suite (src/test/stomp/stomp.test.mjs: @stomp/stompjs on /stomp),
# check its health endpoints and that its /metrics (behind the API key) counted what the suite did, undeploy it while
# a WebSocket client watches for its 1001 close, check the container's log, and stop it.
#
# Usage: src/test/containers/run.sh [jetty tomcat10 tomcat11 tomcat11redis tomcat11kafka glassfish wildfly liberty
#        libertyfeatures libertyee]   (default: all but libertyee)
# Needs: java, mvn, node (with `npm ci` done in src/test/node and src/test/stomp), curl, and Debian's python3-prometheus-client (the
# metrics are read with the Prometheus client's parser; src/build/prerequisites.sh installs it); redis-server for
# tomcat11redis; for tomcat11kafka, Kafka's jars in target/kafka-broker/lib (which `mvn verify` puts there; else this
# script fetches them with mvn).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
war="${DUPLEX_WAR:-$root/target/duplex.war}"
work="${DUPLEX_CONTAINERS_WORK:-$root/target/containers}"
node_dir="$root/src/test/node"
stomp_dir="$root/src/test/stomp"

# Versions: the newest Maven Central serves here of each line (see docs/deploy.md).
JETTY_VERSION=12.1.12
TOMCAT10_VERSION=10.1.59
TOMCAT11_VERSION=11.0.24
GLASSFISH_VERSION=7.0.20
WILDFLY_VERSION=37.0.1.Final
LIBERTY_VERSION=26.0.0.3

# Each container configures Duplex its own usual way (environment, context parameter, system property);
# the start line must show this value.
HISTORY_SIZE=7
# Set the container's way with history.size; the contract suite calls REST with it (the auth filter in every container).
API_KEY=container-check-key-0123456789

[ -f "$war" ] || { echo "no $war: run 'mvn -DskipTests package' first" >&2; exit 2; }
[ -d "$node_dir/node_modules/ws" ] || (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error) || exit 2
[ -d "$stomp_dir/node_modules/@stomp/stompjs" ] || (cd "$stomp_dir" && npm ci --no-audit --no-fund --loglevel=error) || exit 2
mkdir -p "$work/downloads"

say() { printf '[%s] %s\n' "$current" "$*"; }

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# fetch GROUP:ARTIFACT:VERSION:TYPE → path of the file, downloaded once into the local Maven repository.
fetch() {
  local coordinates=$1 file
  file="$work/downloads/$(echo "$coordinates" | awk -F: '{print $2 "-" $3 "." $4}')"
  if [ ! -f "$file" ]; then
    if ! mvn -q -B -ntp dependency:copy -Dartifact="$coordinates" -DoutputDirectory="$work/downloads" >"$work/fetch.log" 2>&1; then
      cat "$work/fetch.log" >&2
      echo "could not fetch $coordinates from Maven Central" >&2
      return 1
    fi
  fi
  echo "$file"
}

# wait_for SECONDS COMMAND...: run COMMAND every half second until it succeeds.
wait_for() {
  local seconds=$1; shift
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.5
  done
}

healthy() { curl -fsS "$base/api/health" | grep -q '"status":"up"'; }
bridge_worked() { curl -fsS "$base/api/health" | grep -qE "\"name\":\"$bridge\",\"state\":\"up\".*\"out\":[1-9]"; }
# A container starts at its own pace: on a loaded machine (a load of 18 on 2 cores) Liberty took 124 s to start
# and 111 s more to start the application, past a fixed 180 s. So the check waits for Duplex's answer as long as
# the container's process runs, at most 10 minutes, and stops waiting as soon as that process has ended.
up_or_ended() { healthy || { [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; }; }

# The registry lives in the WAR: every container serves the same metrics at /metrics, behind the API key (the default
# metrics.access), and the health endpoints without credentials. Prints what is wrong; fails if anything is.
metrics_check() {
  local code
  for path in api/health/live api/health/ready; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$base/$path")
    [ "$code" = 200 ] || { echo "GET $path answered $code, not 200"; return 1; }
  done
  code=$(curl -s -o /dev/null -w '%{http_code}' "$base/metrics")
  [ "$code" = 401 ] || { echo "GET metrics without the API key answered $code, not 401"; return 1; }
  curl -fsS -H "Authorization: Bearer $API_KEY" "$base/metrics" >"$dir/metrics.txt" || { echo "GET metrics with the API key failed"; return 1; }
  # The contract suite opened WebSocket connections, published over REST and WebSocket, and timed REST requests.
  /usr/bin/python3 "$root/src/test/prometheus/expect.py" "$dir/metrics.txt" duplex_connections_opened_total\>0 \
    duplex_messages_published_total\>0 duplex_messages_delivered_total\>0 duplex_ready=1 duplex_engine_up=1 \
    http_server_requests_seconds_count\>0 jvm_memory_used_bytes\>0 jvm_threads_live_threads\>0 >"$dir/metrics-check.log" 2>&1 \
    || { grep -v '^ok:' "$dir/metrics-check.log"; return 1; }
}
gone() { ! curl -fsS -o /dev/null "$base/api/health"; }

# ---- one function per container: prepare (unpack, ports), start, deploy, undeploy, stop ----

jetty_prepare() {
  local archive; archive=$(fetch "org.eclipse.jetty:jetty-home:$JETTY_VERSION:tar.gz") || return 1
  tar -xzf "$archive" -C "$dir"
  home="$dir/jetty-home-$JETTY_VERSION"; mkdir -p "$dir/base"
  (cd "$dir/base" && java -jar "$home/start.jar" --add-modules=http,ee10-deploy,ee10-annotations,ee10-websocket-jakarta >/dev/null 2>&1)
}
jetty_start() {
  # Configured through the environment.
  (cd "$dir/base" && DUPLEX_HISTORY_SIZE=$HISTORY_SIZE DUPLEX_API_KEY=$API_KEY exec java -jar "$home/start.jar" jetty.http.host=127.0.0.1 jetty.http.port="$port" \
    jetty.deploy.scanInterval=1) >"$log" 2>&1 &
  pid=$!
}
jetty_deploy() { cp "$war" "$dir/base/webapps/duplex.war"; }
jetty_undeploy() { rm -f "$dir/base/webapps/duplex.war"; }
jetty_stop() { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }

tomcat_prepare() {
  local version=$1 archive; archive=$(fetch "org.apache.tomcat:tomcat:$version:zip") || return 1
  unzip -q "$archive" -d "$dir"
  home="$dir/apache-tomcat-$version"; chmod +x "$home"/bin/*.sh
  rm -rf "$home"/webapps/*
  sed -i "s/port=\"8080\"/port=\"$port\" address=\"127.0.0.1\"/; s/port=\"8005\"/port=\"-1\"/" "$home/conf/server.xml"
}
tomcat_start() { (CATALINA_PID="$dir/pid" exec "$home/bin/catalina.sh" run) >"$log" 2>&1 & pid=$!; }
tomcat10_configure() {
  # Configured through a context parameter in Tomcat's context descriptor for /duplex.
  mkdir -p "$home/conf/Catalina/localhost"
  printf '<Context>\n  <Parameter name="duplex.history.size" value="%s" override="false"/>\n  <Parameter name="duplex.api.key" value="%s" override="false"/>\n</Context>\n' "$HISTORY_SIZE" "$API_KEY" \
    >"$home/conf/Catalina/localhost/duplex.xml"
}
tomcat11_configure() {
  # Configured through a system property in Tomcat's setenv.sh.
  printf 'CATALINA_OPTS="$CATALINA_OPTS -Dduplex.history.size=%s -Dduplex.api.key=%s"\n' "$HISTORY_SIZE" "$API_KEY" >"$home/bin/setenv.sh"
}
tomcat_deploy() { cp "$war" "$home/webapps/duplex.war"; }
tomcat_undeploy() { rm -f "$home/webapps/duplex.war"; }
tomcat_stop() { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
tomcat10_prepare() { tomcat_prepare "$TOMCAT10_VERSION" && tomcat10_configure; }
tomcat11_prepare() { tomcat_prepare "$TOMCAT11_VERSION" && tomcat11_configure; }
for op in start deploy undeploy stop; do
  eval "tomcat10_$op() { tomcat_$op; }; tomcat11_$op() { tomcat_$op; }"
done

# Tomcat 11 again with the Redis engine: Lettuce and Netty inside a container, on a redis-server of its own;
# their threads and thread-locals must be gone at undeploy like everything else.
tomcat11redis_prepare() {
  command -v redis-server >/dev/null || { say "redis-server not found: apt-get install redis-server"; return 1; }
  tomcat_prepare "$TOMCAT11_VERSION" && tomcat11_configure || return 1
  local redis_port; redis_port=$(free_port)
  (exec redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" --daemonize no) >"$dir/redis.log" 2>&1 &
  redis_pid=$!
  printf 'CATALINA_OPTS="$CATALINA_OPTS -Dduplex.engine=redis -Dduplex.redis.uri=redis://127.0.0.1:%s"\n' "$redis_port" >>"$home/bin/setenv.sh"
  engine=redis
}
tomcat11redis_start() { tomcat_start; }
tomcat11redis_deploy() { tomcat_deploy; }
tomcat11redis_undeploy() { tomcat_undeploy; }
tomcat11redis_stop() { tomcat_stop; kill -TERM "$redis_pid" 2>/dev/null; wait "$redis_pid" 2>/dev/null; }

# Tomcat 11 again with the Kafka bridge: kafka-clients inside a container, on a Kafka broker (KRaft) of its own, with
# every channel produced to Kafka so that the contract suite's publishes go through the producer; the undeploy must
# leave none of the bridge's or Kafka's threads behind.
tomcat11kafka_prepare() {
  local lib="$root/target/kafka-broker/lib"
  if ! ls "$lib"/kafka-tools-*.jar >/dev/null 2>&1; then
    say "fetching Kafka's jars into $lib (once; mvn verify puts them there too)"
    mvn -q -B -ntp -f "$root/src/test/kafka/pom.xml" -Dbroker.lib="$lib" dependency:copy-dependencies \
      || { say "could not fetch Kafka's jars (mvn -f src/test/kafka/pom.xml dependency:copy-dependencies)"; return 1; }
  fi
  tomcat_prepare "$TOMCAT11_VERSION" && tomcat11_configure || return 1
  local kafka_port controller_port; kafka_port=$(free_port); controller_port=$(free_port)
  mkdir -p "$dir/kafka"
  printf '%s\n' process.roles=broker,controller node.id=1 \
    "listeners=PLAINTEXT://127.0.0.1:$kafka_port,CONTROLLER://127.0.0.1:$controller_port" \
    "advertised.listeners=PLAINTEXT://127.0.0.1:$kafka_port" listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT \
    controller.listener.names=CONTROLLER inter.broker.listener.name=PLAINTEXT "controller.quorum.voters=1@127.0.0.1:$controller_port" \
    "log.dirs=$dir/kafka/data" offsets.topic.replication.factor=1 transaction.state.log.replication.factor=1 \
    transaction.state.log.min.isr=1 share.coordinator.state.topic.replication.factor=1 share.coordinator.state.topic.min.isr=1 \
    group.initial.rebalance.delay.ms=0 >"$dir/kafka/server.properties"
  kafka_java=(java -Xmx256m -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$lib/*")
  "${kafka_java[@]}" kafka.tools.StorageTool format -c "$dir/kafka/server.properties" -t "$("${kafka_java[@]}" kafka.tools.StorageTool random-uuid)" \
    >"$dir/kafka.log" 2>&1 || { say "formatting Kafka's storage failed: $(tail -3 "$dir/kafka.log")"; return 1; }
  ("${kafka_java[@]}" kafka.Kafka "$dir/kafka/server.properties") >>"$dir/kafka.log" 2>&1 &
  kafka_pid=$!
  local topic
  for topic in duplex.in duplex.out; do
    wait_for 90 "${kafka_java[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$kafka_port" --create \
      --if-not-exists --topic "$topic" --partitions 1 --replication-factor 1 \
      || { say "Kafka did not start: $(tail -3 "$dir/kafka.log")"; kill -TERM "$kafka_pid"; wait "$kafka_pid"; return 1; }
  done
  printf 'CATALINA_OPTS="$CATALINA_OPTS -Dduplex.bridges=kafka -Dduplex.kafka.bootstrap.servers=127.0.0.1:%s -Dduplex.kafka.in.topics=duplex.in -Dduplex.kafka.out.channels=* -Dduplex.kafka.out.topic=duplex.out"\n' \
    "$kafka_port" >>"$home/bin/setenv.sh"
  bridge=kafka
}
tomcat11kafka_start() { tomcat_start; }
tomcat11kafka_deploy() { tomcat_deploy; }
tomcat11kafka_undeploy() { tomcat_undeploy; }
tomcat11kafka_stop() { tomcat_stop; kill -TERM "$kafka_pid" 2>/dev/null; wait "$kafka_pid" 2>/dev/null; }

glassfish_prepare() {
  local archive; archive=$(fetch "org.glassfish.main.distributions:glassfish:$GLASSFISH_VERSION:zip") || return 1
  unzip -q "$archive" -d "$dir"
  home="$dir/glassfish7"; admin_port=$(free_port)
  local config="$home/glassfish/domains/domain1/config/domain.xml" p
  sed -i "s/port=\"8080\"/port=\"$port\"/; s/port=\"4848\"/port=\"$admin_port\"/" "$config"
  for p in 8181 3700 3820 3920 8686 9009 7676; do sed -i "s/\"$p\"/\"$(free_port)\"/g" "$config"; done
}
glassfish_start() {
  local admin="$log.admin" attempt
  log="$home/glassfish/domains/domain1/logs/server.log"
  for attempt in 1 2; do
    "$home/bin/asadmin" start-domain domain1 >>"$admin" 2>&1
    # GlassFish 7.0.20's log handler now and then never writes the server's records to server.log (a clean-clone CI run
    # found only the launcher's record in it; GJULE's races are fixed upstream after 7.0.20, eclipse-ee4j/glassfish#25479,
    # and no later 7.0.x is served here). The log checks would then blame Duplex. GlassFish's own startup record
    # (NCLS-CORE-00017) shows the handler works; without it the domain starts once more, before Duplex is deployed.
    wait_for 30 grep -q "NCLS-CORE-00017" "$log" && break
    [ "$attempt" = 2 ] && break # the log checks will say what is missing
    say "server.log has no record of GlassFish's own start (its log handler did not start): starting the domain again"
    "$home/bin/asadmin" --port "$admin_port" stop-domain domain1 >>"$admin" 2>&1
  done
  pid=
}
glassfish_deploy() {
  # Configured through a system property of the server, set with asadmin.
  "$home/bin/asadmin" --port "$admin_port" create-system-properties "duplex.history.size=$HISTORY_SIZE:duplex.api.key=$API_KEY" >>"$dir/admin.log" 2>&1
  "$home/bin/asadmin" --port "$admin_port" deploy --contextroot duplex --name duplex "$war" >>"$dir/admin.log" 2>&1
}
glassfish_undeploy() { "$home/bin/asadmin" --port "$admin_port" undeploy duplex >>"$dir/admin.log" 2>&1; }
glassfish_stop() { "$home/bin/asadmin" --port "$admin_port" stop-domain domain1 >>"$dir/admin.log" 2>&1; }

wildfly_prepare() {
  local archive; archive=$(fetch "org.wildfly:wildfly-dist:$WILDFLY_VERSION:tar.gz") || return 1
  tar -xzf "$archive" -C "$dir"
  home="$dir/wildfly-$WILDFLY_VERSION"
}
wildfly_start() {
  # Every port WildFly opens, moved to a free one.
  # Configured through a system property on the command line.
  (exec "$home/bin/standalone.sh" -Dduplex.history.size="$HISTORY_SIZE" -Dduplex.api.key="$API_KEY" -Djboss.bind.address=127.0.0.1 -Djboss.bind.address.management=127.0.0.1 \
    -Djboss.http.port="$port" -Djboss.https.port="$(free_port)" -Djboss.management.http.port="$(free_port)" \
    -Djboss.management.https.port="$(free_port)" -Djboss.ajp.port="$(free_port)" \
    -Djboss.txn.recovery.port="$(free_port)" -Djboss.txn.status.port="$(free_port)") >"$log" 2>&1 &
  pid=$!
}
wildfly_deploy() { cp "$war" "$home/standalone/deployments/duplex.war"; }
wildfly_undeploy() { rm -f "$home/standalone/deployments/duplex.war"; }
wildfly_stop() { pkill -TERM -P "$pid" 2>/dev/null; kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }

# Open Liberty, configured two ways its users do: the webProfile-10.0 feature (with its own JAX-RS, security,
# JNDI), and only the features Duplex needs (no JNDI, no security feature, no JAX-RS). The runtime is unpacked
# once per run; each configuration is a server of its own in its own user directory (WLP_USER_DIR).
liberty_runtime() {
  local archive; archive=$(fetch "io.openliberty:openliberty-runtime:$LIBERTY_VERSION:zip") || return 1
  home="$work/liberty-$LIBERTY_VERSION/wlp"
  if [ -z "${liberty_unpacked:-}" ]; then
    rm -rf "$work/liberty-$LIBERTY_VERSION"
    unzip -q "$archive" -d "$work/liberty-$LIBERTY_VERSION" || return 1
    liberty_unpacked=1
  fi
}
# liberty_server FEATURE...: a server named duplex listening on 127.0.0.1:$port with these features.
liberty_server() {
  liberty_runtime || return 1
  server="$dir/usr/servers/duplex"; mkdir -p "$server/dropins"
  {
    echo '<server>'
    echo '  <featureManager>'
    printf '    <feature>%s</feature>\n' "$@"
    echo '  </featureManager>'
    echo "  <httpEndpoint id=\"defaultHttpEndpoint\" host=\"127.0.0.1\" httpPort=\"$port\" httpsPort=\"-1\"/>"
    echo '</server>'
  } >"$server/server.xml"
}
# webProfile-10.0 runs the server.xml docs/deploy.md gives users to copy, with this check's host and port; the
# application it names is in apps/ when the server starts, as a user would have it.
liberty_prepare() {
  liberty_runtime || return 1
  server="$dir/usr/servers/duplex"; mkdir -p "$server/apps"
  awk '/<!-- liberty server.xml/ { found = 1; next } found && /^```xml/ { block = 1; next } block && /^```/ { exit } block { print }' \
    "$root/docs/deploy.md" | sed "s/host=\"\*\" httpPort=\"9080\"/host=\"127.0.0.1\" httpPort=\"$port\"/" >"$server/server.xml"
  grep -q "httpPort=\"$port\"" "$server/server.xml" && grep -q '<webApplication id="duplex"' "$server/server.xml" \
    || { say "docs/deploy.md has no server.xml block with httpPort 9080 and the duplex application"; return 1; }
  cp "$war" "$server/apps/duplex.war"
  # Configured through the server's environment file.
  printf 'DUPLEX_HISTORY_SIZE=%s\nDUPLEX_API_KEY=%s\n' "$HISTORY_SIZE" "$API_KEY" >"$server/server.env"
}
libertyfeatures_prepare() {
  liberty_server servlet-6.0 websocket-2.1 cdi-4.0 jsonp-2.1 jsonb-3.0 || return 1
  # Configured through system properties in the server's jvm.options.
  printf -- '-Dduplex.history.size=%s\n-Dduplex.api.key=%s\n' "$HISTORY_SIZE" "$API_KEY" >"$server/jvm.options"
}
# The full platform (jakartaee-10.0): not in the default list (Duplex uses nothing of it that webProfile-10.0
# lacks, so it would add half a minute to every run to show the same), run by name. Its messaging server and
# ORB listen too, on free ports; the ORB reports errors without a keystore, a user registry and TLS on its
# endpoint (CWWKS9582E, CWWKS9660E, CWWKS9623E), which any real jakartaee-10.0 server has.
libertyee_prepare() {
  liberty_server jakartaee-10.0 || return 1
  sed -i "s|</server>|  <wasJmsEndpoint host=\"127.0.0.1\" wasJmsPort=\"$(free_port)\" wasJmsSSLPort=\"-1\"/>\n  <iiopEndpoint id=\"defaultIiopEndpoint\" host=\"127.0.0.1\" iiopPort=\"$(free_port)\"><iiopsOptions iiopsPort=\"$(free_port)\" sslRef=\"defaultSSLConfig\"/></iiopEndpoint>\n  <keyStore id=\"defaultKeyStore\" password=\"container-check-keystore\"/>\n  <basicRegistry id=\"basic\" realm=\"duplex-check\"/>\n</server>|" "$server/server.xml"
  printf 'DUPLEX_HISTORY_SIZE=%s\nDUPLEX_API_KEY=%s\n' "$HISTORY_SIZE" "$API_KEY" >"$server/server.env"
}
liberty_start() {
  (WLP_USER_DIR="$dir/usr" exec "$home/bin/server" run duplex) >"$dir/container.log" 2>&1 &
  pid=$!
  # Application messages at INFO go to messages.log; the console shows AUDIT and above.
  log="$server/logs/messages.log"
}
liberty_deploy() { :; } # named in server.xml, it starts with the server
liberty_undeploy() {
  # Liberty applies a changed server.xml while it runs.
  sed -i '/<webApplication id="duplex"/d' "$server/server.xml"
  liberty_stopped
}
libertyfeatures_deploy() { cp "$war" "$server/dropins/duplex.war"; }
libertyfeatures_undeploy() {
  rm -f "$server/dropins/duplex.war"
  liberty_stopped
}
# The context root goes before the application has stopped: wait for the end of the stop.
liberty_stopped() {
  wait_for 60 grep -q "CWWKZ0009I: The application duplex has stopped" "$log" || say "the application did not report its stop within 60 s"
}
# Liberty reports no leaked threads itself: look at the server's threads after the application stopped.
liberty_threads() {
  local dump; dump=$(jcmd "$pid" Thread.print 2>&1)
  if ! grep -q "Thread.State" <<<"$dump"; then
    echo "(could not read the server's threads with jcmd: $(head -c 200 <<<"$dump"))"
    return
  fi
  sed -n 's/^"\([^"]*\)".*/\1/p' <<<"$dump" | grep -E '^(duplex-|weld|lettuce|nioEventLoop|globalEventExecutor|reactor-|jersey|HK2)' || true
}
liberty_stop() { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
for op in start threads stop; do
  eval "libertyfeatures_$op() { liberty_$op; }; libertyee_$op() { liberty_$op; }"
done
libertyee_deploy() { libertyfeatures_deploy; }
libertyee_undeploy() { libertyfeatures_undeploy; }

# ---- the check, the same for every container ----

run_container() {
  current=$1
  dir="$work/$current"; rm -rf "$dir"; mkdir -p "$dir"
  log="$dir/container.log"; port=$(free_port); base="http://127.0.0.1:$port/duplex"
  engine=memory # a container's prepare names another engine it configures
  bridge= # and a bridge it runs
  local failures=()

  local begun=$SECONDS
  say "preparing (Maven Central → $dir)"
  "${current}_prepare" || { results+=("$current|FAIL|could not fetch or unpack"); return; }
  say "starting on 127.0.0.1:$port"
  local started=$SECONDS
  "${current}_start"
  "${current}_deploy" || failures+=("deploy command failed")
  wait_for 600 up_or_ended
  if ! healthy; then
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      failures+=("the container's process ended after $((SECONDS - started)) s without Duplex answering")
    else
      failures+=("not healthy within 600 s")
    fi
  else
    say "healthy after $((SECONDS - started)) s; running the contract suite against $base/"
    if ! (cd "$node_dir" && DUPLEX_URL="$base/" DUPLEX_API_KEY="$API_KEY" timeout 300 node --test --test-timeout=60000 --test-reporter=dot contract.test.mjs >"$dir/contract.log" 2>&1); then
      failures+=("contract suite failed (see $dir/contract.log)")
      tail -40 "$dir/contract.log"
    fi
    if [ -n "$bridge" ]; then
      # The bridge is up, and the contract suite's publishes went out through it.
      wait_for 30 bridge_worked || failures+=("the $bridge bridge is not up or produced nothing: $(curl -s "$base/api/health")")
    fi
    local metrics_problem
    if metrics_problem=$(metrics_check); then
      say "health endpoints and /metrics: $(tr '\n' ' ' <"$dir/metrics-check.log" | sed 's/ok: //g')"
    else
      failures+=("health or metrics: $metrics_problem")
    fi
    # The STOMP door is a second @ServerEndpoint: the container must have found it too (after the metrics check, which
    # counts what the contract suite did).
    if ! (cd "$stomp_dir" && DUPLEX_URL="$base/" DUPLEX_API_KEY="$API_KEY" timeout 300 node --test --test-timeout=60000 --test-reporter=dot stomp.test.mjs >"$dir/stomp.log" 2>&1); then
      failures+=("STOMP suite failed (see $dir/stomp.log)")
      tail -40 "$dir/stomp.log"
    fi
    say "undeploying while a WebSocket session watches"
    (cd "$node_dir" && DUPLEX_URL="$base/" exec node close-watch.mjs 1001 90) >"$dir/close.log" 2>&1 &
    local watcher=$!
    wait_for 20 grep -q READY "$dir/close.log" || failures+=("the watching session did not connect")
    "${current}_undeploy"
    wait "$watcher" || failures+=("undeploy did not close the session with 1001: $(cat "$dir/close.log" | tr '\n' ' ')")
    wait_for 60 gone || failures+=("still serving 60 s after undeploy")
    say "session: $(grep CLOSED "$dir/close.log")"
    if declare -F "${current}_threads" >/dev/null; then
      local left; left=$("${current}_threads")
      [ -z "$left" ] || failures+=("threads left after undeploy: $(echo $left)")
    fi
  fi
  # The log as it stands after the undeploy (GlassFish starts a new file when the domain stops).
  cp "$log" "$dir/after-undeploy.log"
  log="$dir/after-undeploy.log"
  "${current}_stop"

  # The log: one start line, and nothing the container reports as leaked or broken by Duplex.
  local starts; starts=$(grep -c "Duplex .* ready at /duplex" "$log")
  [ "$starts" = 1 ] || failures+=("expected one start line of Duplex in the log, found $starts")
  grep -q "history $HISTORY_SIZE messages" "$log" || failures+=("the setting history.size=$HISTORY_SIZE did not reach Duplex")
  grep -q "REST by API key (1 key)" "$log" || failures+=("the setting api.key did not reach Duplex")
  grep -q "engine $engine " "$log" || failures+=("the start line does not say engine $engine")
  [ -z "$bridge" ] || grep -q "bridges $bridge," "$log" || failures+=("the start line does not say bridges $bridge")
  # Leaks are reported at the end of an undeploy, which may come after the application stopped answering, so
  # they are looked for in the log as the container left it too (GlassFish's is a new file by then).
  local everything; everything=$(cat "$log" "$dir/container.log")
  if grep -qiE "failed to stop it|memory leak|appears to have started a thread" <<<"$everything"; then
    failures+=("the container reports leaks: $(grep -iE 'failed to stop it|memory leak|appears to have started a thread' <<<"$everything" | head -2)")
  fi
  if grep -E "(SEVERE|ERROR)" <<<"$everything" | grep -qiE "duplex|io\.duplex"; then
    failures+=("errors mention Duplex: $(grep -E '(SEVERE|ERROR)' <<<"$everything" | grep -iE 'duplex' | head -2)")
  fi
  # Weld's request context set up on one thread and torn down on another (an async request it should not see).
  if grep -qE "WELD-00071[45]" <<<"$everything"; then
    failures+=("Weld's request context crossed threads: $(grep -E 'WELD-00071[45]' <<<"$everything" | head -1)")
  fi
  # Liberty marks errors with E and a message id ending in E, and files an FFDC incident for an exception.
  if grep -qE " E [A-Z]{4,5}[0-9]{4}E:|FFDC1015I" <<<"$everything"; then
    failures+=("the container reports errors: $(grep -E ' E [A-Z]{4,5}[0-9]{4}E:|FFDC1015I' <<<"$everything" | head -2)")
  fi
  say "log: $(grep -m1 "Duplex .* ready at" "$log" | sed 's/^.*Duplex /Duplex /')"

  if [ ${#failures[@]} -eq 0 ]; then
    results+=("$current|PASS|configured, contract suite, health and metrics, 1001 on undeploy, clean log ($((SECONDS - begun)) s)")
  else
    results+=("$current|FAIL|$(IFS='; '; echo "${failures[*]}") ($((SECONDS - begun)) s)")
  fi
}

containers=("$@")
[ ${#containers[@]} -eq 0 ] && containers=(jetty tomcat10 tomcat11 tomcat11redis tomcat11kafka glassfish wildfly liberty libertyfeatures)
results=()
for c in "${containers[@]}"; do
  declare -F "${c}_prepare" >/dev/null || { echo "unknown container '$c'; known: jetty tomcat10 tomcat11 tomcat11redis tomcat11kafka glassfish wildfly liberty libertyfeatures libertyee" >&2; exit 2; }
  run_container "$c"
done

echo
echo "container        result  details"
failed=0
for r in "${results[@]}"; do
  IFS='|' read -r name result details <<<"$r"
  printf '%-16s %-7s %s\n' "$name" "$result" "$details"
  [ "$result" = PASS ] || failed=$((failed + 1))
done
passed=$(( ${#results[@]} - failed ))
echo
echo "containers: $passed passed, $failed failed"
[ $failed -eq 0 ]
