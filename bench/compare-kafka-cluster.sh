#!/usr/bin/env bash
# Three-node Wharf against a three-node Apache Kafka KRaft cluster on this machine, in one run, with Kafka's own perf
# tools: RF=3, min.insync.replicas=2, produce 100 B and 1 KiB with acks=all, consume 1 KiB, failover time (SIGKILL of
# a partition leader -> first acknowledged produce, default client), and the CPU seconds of the three brokers.
#
#   bench/compare-kafka-cluster.sh            # full run
#   QUICK=1 bench/compare-kafka-cluster.sh    # smoke test: small record counts
#
# Environment: TARGETS=kafka,wharf  KAFKA_VERSION=4.3.1  KAFKA_LIBS (a directory holding Kafka's jars, as
# bench/compare-kafka.sh fetches them; default bench/work/kafka-libs, fetched when missing)
#   SMALL_RECORDS, LARGE_RECORDS   records of 100 B and of 1 KiB (default 1000000 / 500000; QUICK=1: 100000 / 50000)
#   WHARF_FLUSH=acks-all           Wharf's flush policy (acks-all, the default, fsyncs on every in-sync replica; os)
# Brokers use ports 19092-19293 (Kafka) and 29092-29293 (Wharf); data and logs go to bench/work/cluster-*.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
WORK=$BENCH/work
LIBS=${KAFKA_LIBS:-$WORK/kafka-libs}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
KAFKA_VERSION=${KAFKA_VERSION:-4.3.1}
TARGETS=${TARGETS:-kafka,wharf}
QUICK=${QUICK:-0}
WHARF_FLUSH=${WHARF_FLUSH:-acks-all}
if [[ $QUICK == 1 ]]; then
    SMALL_RECORDS=${SMALL_RECORDS:-100000}
    LARGE_RECORDS=${LARGE_RECORDS:-50000}
else
    SMALL_RECORDS=${SMALL_RECORDS:-1000000}
    LARGE_RECORDS=${LARGE_RECORDS:-500000}
fi
PARTITIONS=6
RUN_ID=$(date +%Y%m%d-%H%M%S)
LOGS=$WORK/cluster-logs-$RUN_ID
CLK_TCK=$(getconf CLK_TCK)
TOOL_OPTS=(-Xmx512M -XX:+UseG1GC -Djava.awt.headless=true "-Dlog4j2.configurationFile=$BENCH/log4j2-tools.properties")
KAFKA_JVM_OPTS=(-Xmx1G -Xms1G -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true)
mkdir -p "$LOGS"

declare -A PID=()   # "target-node" -> pid this script started
log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

cleanup() {
    local k
    for k in "${!PID[@]}"; do kill -TERM "${PID[$k]}" 2>/dev/null || true; done
    sleep 2
    for k in "${!PID[@]}"; do kill -KILL "${PID[$k]}" 2>/dev/null || true; done
}
trap cleanup EXIT

base_port() { if [[ $1 == kafka ]]; then echo 19092; else echo 29092; fi; }
port_of() { echo $(($(base_port "$1") + 100 * ($2 - 1))); }
bootstrap_of() { echo "127.0.0.1:$(port_of "$1" 1),127.0.0.1:$(port_of "$1" 2),127.0.0.1:$(port_of "$1" 3)"; }
voters_of() { echo "1@127.0.0.1:$(($(port_of "$1" 1) + 1)),2@127.0.0.1:$(($(port_of "$1" 2) + 1)),3@127.0.0.1:$(($(port_of "$1" 3) + 1))"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# CPU ticks (user + system) used so far by the three brokers of a target.
cluster_ticks() {
    local target=$1 n total=0 stat
    local -a f
    for n in 1 2 3; do
        stat=$(cat "/proc/${PID[$target-$n]}/stat" 2>/dev/null) || continue
        stat=${stat##*) }
        read -r -a f <<<"$stat"
        total=$((total + f[11] + f[12]))
    done
    echo "$total"
}
cpu_s() { awk -v d="$1" -v hz="$CLK_TCK" 'BEGIN { printf "%.1f", d / hz }'; }

fetch_kafka() {
    [[ -f $LIBS/kafka_2.13-$KAFKA_VERSION.jar ]] && return 0
    log "fetching Apache Kafka $KAFKA_VERSION into $LIBS"
    mvn -q -B -f "$BENCH/kafka-libs/pom.xml" -Dkafka.version="$KAFKA_VERSION" dependency:copy-dependencies \
        -DoutputDirectory="$LIBS" >"$LOGS/fetch.log" 2>&1 || die "fetching Kafka failed (see $LOGS/fetch.log)"
}

tool() { "$JAVA" "${TOOL_OPTS[@]}" -cp "$LIBS/*" "$@"; }

start_kafka() {
    local id n port data props
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' | sed 's/^-/A/')
    for n in 1 2 3; do
        port=$(port_of kafka "$n")
        data=$WORK/cluster-kafka-$n
        props=$WORK/cluster-kafka-$n.properties
        rm -rf "$data"
        cat >"$props" <<PROPS
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$(voters_of kafka)
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$((port + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
group.initial.rebalance.delay.ms=0
PROPS
        tool kafka.tools.StorageTool format --cluster-id="$id" --config "$props" >"$LOGS/kafka-$n-format.log" 2>&1 ||
            die "formatting Kafka node $n failed"
        "$JAVA" "${KAFKA_JVM_OPTS[@]}" "-Dlog4j2.configurationFile=$BENCH/log4j2-broker.properties" \
            "-Dbench.log.file=$LOGS/kafka-$n-server.log" -cp "$LIBS/*" kafka.Kafka "$props" \
            >"$LOGS/kafka-$n.log" 2>&1 </dev/null &
        PID[kafka-$n]=$!
    done
}

start_wharf() {
    local n port data
    (cd "$ROOT" && bin/wharf --version) >"$LOGS/wharf-build.log" 2>&1 || die "building Wharf failed"
    for n in 1 2 3; do
        port=$(port_of wharf "$n")
        data=$WORK/cluster-wharf-$n
        rm -rf "$data"
        "$ROOT/dist/target/wharf/bin/wharf" server --override node.id=$n --override process.roles=broker,controller \
            --override controller.quorum.voters="$(voters_of wharf)" \
            --override listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$((port + 1)) \
            --override log.dirs="$data" --override default.replication.factor=3 --override min.insync.replicas=2 \
            --override offsets.topic.replication.factor=3 --override group.initial.rebalance.delay.ms=0 \
            --override wharf.log.flush.policy="$WHARF_FLUSH" >"$LOGS/wharf-$n.log" 2>&1 </dev/null &
        PID[wharf-$n]=$!
    done
}

await_cluster() {
    local target=$1 n deadline=$((SECONDS + 180))
    for n in 1 2 3; do
        until port_open "$(port_of "$target" "$n")"; do
            ((SECONDS < deadline)) || die "$target node $n did not open its port (see $LOGS)"
            kill -0 "${PID[$target-$n]}" 2>/dev/null || die "$target node $n exited (see $LOGS/$target-$n.log)"
            sleep 0.2
        done
    done
    # Until a replicated topic can be created: every broker registered and unfenced.
    until tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$(bootstrap_of "$target")" --create \
        --topic ready-probe --partitions 3 --replication-factor 3 >/dev/null 2>&1; do
        ((SECONDS < deadline)) || die "$target did not accept a topic of three replicas"
        sleep 1
    done
}

create_topic() {
    tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$(bootstrap_of "$1")" --create --topic "$2" \
        --partitions "$PARTITIONS" --replication-factor 3 --config min.insync.replicas=2 >/dev/null
}

RESULTS=()
result() { RESULTS+=("$(printf '%-6s %-28s %s' "$1" "$2" "$3")"); log "$1 $2: $3"; }

produce() {
    local target=$1 name=$2 records=$3 size=$4 out c0 c1 line
    out=$LOGS/$target-$name.log
    create_topic "$target" "$name"
    c0=$(cluster_ticks "$target")
    tool org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$(bootstrap_of "$target")" --topic "$name" \
        --num-records "$records" --record-size "$size" --throughput -1 --command-property acks=all >"$out" 2>&1
    c1=$(cluster_ticks "$target")
    line=$(grep -E 'records sent,.*99\.9th' "$out" | tail -n 1)
    [[ $line =~ sent,\ ([0-9.]+)\ records/sec\ \(([0-9.]+)\ MB/sec\),\ ([0-9.]+)\ ms\ avg.*,\ ([0-9]+)\ ms\ 50th,.*\ ([0-9]+)\ ms\ 99th ]] ||
        die "$target: no summary from ProducerPerformance (see $out)"
    result "$target" "$name" "${BASH_REMATCH[1]} rec/s ${BASH_REMATCH[2]} MB/s p50 ${BASH_REMATCH[4]} ms p99 ${BASH_REMATCH[5]} ms, broker CPU $(cpu_s $((c1 - c0))) s"
}

consume() {
    local target=$1 topic=$2 records=$3 out c0 c1 values
    out=$LOGS/$target-consume.log
    c0=$(cluster_ticks "$target")
    tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$(bootstrap_of "$target")" --topic "$topic" \
        --messages "$records" --timeout 60000 >"$out" 2>&1
    c1=$(cluster_ticks "$target")
    values=$(grep -E '^[0-9]{4}-' "$out" | tail -n 1)
    # start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...
    IFS=', ' read -r -a v <<<"$values"
    result "$target" "consume-1KiB" "${v[7]:-?} rec/s ${v[5]:-?} MB/s, broker CPU $(cpu_s $((c1 - c0))) s"
}

failover() {
    local target=$1 out pids
    out=$LOGS/$target-failover.log
    create_topic "$target" failover
    pids="1=${PID[$target-1]},2=${PID[$target-2]},3=${PID[$target-3]}"
    tool "$BENCH/FailoverTime.java" --bootstrap-server "$(bootstrap_of "$target")" --topic failover --pids "$pids" \
        >"$out" 2>&1 || die "$target: FailoverTime failed (see $out)"
    result "$target" "failover (SIGKILL leader)" "$(grep '^RESULT' "$out" | sed 's/^RESULT //')"
}

run_target() {
    local target=$1 n
    log "starting a three-node $target cluster"
    if [[ $target == kafka ]]; then start_kafka; else start_wharf; fi
    await_cluster "$target"
    produce "$target" produce-100B-acksall "$SMALL_RECORDS" 100
    produce "$target" produce-1KiB-acksall "$LARGE_RECORDS" 1024
    consume "$target" produce-1KiB-acksall "$LARGE_RECORDS"
    failover "$target"
    for n in 1 2 3; do kill -TERM "${PID[$target-$n]}" 2>/dev/null || true; done
    for n in 1 2 3; do wait "${PID[$target-$n]}" 2>/dev/null || true; unset "PID[$target-$n]"; done
}

fetch_kafka
for target in ${TARGETS//,/ }; do run_target "$target"; done
echo
echo "Three nodes, RF=3, min.insync.replicas=2, $PARTITIONS partitions, acks=all (Wharf flush policy $WHARF_FLUSH)"
printf '%s\n' "${RESULTS[@]}"
echo "logs: $LOGS"
