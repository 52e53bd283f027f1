#!/usr/bin/env bash
# Apache Kafka, single node in KRaft mode (combined broker and controller), run on the
# machine's Java from the official jars in Maven Central, cached by version outside the
# clone. Usage: infra/kafka.sh install|start|stop|status|version|reset
source "$(dirname "$0")/lib.sh"

HOME_DIR="$LUKEMA_CACHE/kafka/$KAFKA_VERSION"
LIB="$HOME_DIR/lib"
DATA="$LUKEMA_DATA/kafka"
PID="$DATA/kafka.pid"
LOG="$DATA/kafka.out"
CONF="$DATA/server.properties"

pom() {
  cat <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>lukema.local</groupId><artifactId>kafka-runtime</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId><version>2.24.3</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.24.3</version></dependency>
    <!-- Maven's nearest-wins picks slf4j 1.7 from Kafka's tree; the log4j backend needs 2.x. -->
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.17</version></dependency>
  </dependencies>
</project>
POM
}

install() {
  # Reuse the resolved jars while the recipe (the pom) is unchanged.
  if [ -f "$HOME_DIR/.complete" ] && [ "$(pom)" = "$(cat "$HOME_DIR/pom.xml" 2>/dev/null)" ]; then return 0; fi
  command -v java >/dev/null || die "Java 17+ is needed to run Kafka"
  command -v mvn >/dev/null || ensure_apt mvn maven
  mkdir -p "$HOME_DIR"
  rm -f "$HOME_DIR/.complete"
  log "resolving Kafka $KAFKA_VERSION jars from Maven Central"
  local t0=$SECONDS
  pom > "$HOME_DIR/pom.xml"
  rm -rf "$LIB"
  mvn -B -q -f "$HOME_DIR/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIB" >"$HOME_DIR/mvn.log" 2>&1 || { cat "$HOME_DIR/mvn.log" >&2; die "maven could not resolve Kafka"; }
  touch "$HOME_DIR/.complete"
  log "kafka jars resolved in $((SECONDS - t0))s ($(ls "$LIB" | wc -l) jars)"
}

configure() {
  mkdir -p "$DATA/logs"
  cat > "$CONF" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$LUKEMA_HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$LUKEMA_HOST:$KAFKA_PORT,CONTROLLER://$LUKEMA_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$LUKEMA_HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA/logs
num.partitions=4
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=168
PROPS
  cat > "$DATA/log4j2.properties" <<L4J
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = $DATA/kafka.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = info
L4J
}

java_cp() { java -Dlog4j2.configurationFile="$DATA/log4j2.properties" -cp "$LIB/*" "$@"; }

start() {
  install
  # Kafka's segments, logs and config are the owner's only (see lock_down in lib.sh).
  umask 077
  lock_down "$DATA"
  configure
  local seen; seen=0; if [ -f "$DATA/kafka.log" ]; then seen=$(wc -l < "$DATA/kafka.log"); fi
  if pid_alive "$PID" && ! runs_locked "$PID"; then
    log "kafka runs with umask $(umask_of "$(cat "$PID")"): restarting it with 077"
    stop_pid "$PID" 30 kafka
  fi
  if pid_alive "$PID"; then log "kafka already running (pid $(cat "$PID"))"; seen=0; else
    port_free "$KAFKA_PORT" || die "port $KAFKA_PORT is taken by another process"
    if [ ! -f "$DATA/logs/meta.properties" ]; then
      java_cp kafka.tools.StorageTool format -t "$(java_cp kafka.tools.StorageTool random-uuid 2>>"$LOG")" \
        -c "$CONF" >>"$LOG" 2>&1 || die "kafka storage format failed; see $LOG"
    fi
    nohup java -Xms256m -Xmx"$KAFKA_HEAP" -XX:+UseG1GC -Dlog4j2.configurationFile="$DATA/log4j2.properties" \
      -cp "$LIB/*" kafka.Kafka "$CONF" >>"$LOG" 2>&1 &
    echo $! > "$PID"
  fi
  local i=0
  # Ready means the broker says so, not merely an open port (the controller may still be
  # electing itself).
  until port_open "$KAFKA_PORT" && tail -n +"$((seen + 1))" "$DATA/kafka.log" 2>/dev/null | grep 'Kafka Server started' >/dev/null; do
    sleep 0.5; i=$((i + 1))
    pid_alive "$PID" || die "kafka exited; see $LOG and $DATA/kafka.log"
    [ "$i" -lt 240 ] || die "kafka did not open port $KAFKA_PORT within 120s"
  done
  log "kafka ready at $LUKEMA_HOST:$KAFKA_PORT ($(version))"
}

version() { ls "$LIB" | sed -n 's/^kafka_2.13-\(.*\)\.jar$/\1/p' | head -1; }

status() {
  if pid_alive "$PID" && port_open "$KAFKA_PORT"; then
    echo "kafka: running pid $(cat "$PID") at $LUKEMA_HOST:$KAFKA_PORT ($(version))"
  else echo "kafka: stopped"; return 1; fi
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop_pid "$PID" 30 kafka ;;
  status) status ;;
  version) version ;;
  # Runs a Kafka tool class from the same jars, e.g. org.apache.kafka.tools.ConsumerPerformance.
  tool) shift; java_cp "$@" ;;
  reset) stop_pid "$PID" 30 kafka; rm -rf "$DATA" ;;
  *) echo "usage: $0 install|start|stop|status|version|tool|reset" >&2; exit 2 ;;
esac
