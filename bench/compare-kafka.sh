#!/usr/bin/env bash
# Measures Wharf side by side with Apache Kafka on this machine, in one run, with Kafka's own perf tools, and prints
# Wharf/Kafka ratios. See bench/README.md for what is measured and how to read the output.
#
#   bench/compare-kafka.sh                 # full run: warm-up pass + 3 recorded repetitions per target
#   QUICK=1 bench/compare-kafka.sh         # smoke test: small record counts, 1 repetition
#
# Environment:
#   REPS=3            recorded repetitions per target (QUICK=1 makes the default 1)
#   WARMUP=1          run one unrecorded warm-up pass per target first (0 to skip)
#   TARGETS=kafka,wharf   which brokers to measure (kafka, wharf, or both)
#   QUICK=0           1 = 200k/100k records and 2,000 latency round trips, for a smoke test
#   KAFKA_VERSION=4.3.1   Apache Kafka release to fetch from Maven Central and compare against
#   WHARF_CMD         command (run by bash from the repository root) that starts the Wharf target in the foreground;
#                     it may use $WHARF_PORT (29092) and $WHARF_DATA (bench/work/wharf-data, wiped first). Default:
#                       bin/wharf server --override listeners=PLAINTEXT://127.0.0.1:$WHARF_PORT
#                                        --override log.dirs=$WHARF_DATA --override node.id=1
#                                        --override group.initial.rebalance.delay.ms=0   (as Kafka gets)
#                     WHARF_CMD=kafka starts a second Apache Kafka node in place of Wharf (to test this script).
#   WHARF_BUILD_CMD   run once, untimed, before Wharf is started, so that start-up time excludes building.
#                     Default: bin/wharf --version (only when WHARF_CMD is not set).
#   STARTUPS=$REPS    how many times each broker is started alone to measure start-up time and idle memory
#   KEEP_TOPICS=0     1 = do not delete each pass's topics afterwards
#   TESTS=produce,load,consume,e2e,groups,share,txn,cleaner   which groups of tests to run (start-up and memory are
#                     always measured)
#   TXN_RECORDS       records per transactional run (default 500000; 100000 with QUICK=1)
#   TXN_DURATION_MS=100   how long each transaction of the transactional run stays open
#   TXN_COMMITS       transactions the commit-latency run times (default 1000; 200 with QUICK=1)
#   CLEANER_DUPS="10 90"  duplicate-key shares of the clean-rate runs; "" runs only produce-while-cleaning
#   CLEANER_MB        MB of 1 KiB keyed records each cleaner run writes (default 256; 64 with QUICK=1)
#   CLEANER_TIMEOUT_S=120   how long to wait for the broker's cleaner to log its pass
#   LOAD_RATE         records/s the fixed-load tests offer; default: half of Kafka's full-speed 1 KiB acks=all rate
#                     measured earlier in the same run (its warm-up pass, or the first repetition)
#   LOAD_RECORDS      records per fixed-load run (default 500000; 100000 with QUICK=1)
#   GROUP_CONSUMERS=10, GROUP_ROUNDS=3   consumers per group and rounds per protocol in the groups test
#   SMALL_RECORDS, LARGE_RECORDS, SHARE_RECORDS, E2E_ITERATIONS, E2E_WARMUP   override the record and round-trip counts
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
WORK=$BENCH/work
LIBS=$WORK/kafka-libs
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

KAFKA_VERSION=${KAFKA_VERSION:-4.3.1}
QUICK=${QUICK:-0}
WARMUP=${WARMUP:-1}
TARGETS=${TARGETS:-kafka,wharf}
KEEP_TOPICS=${KEEP_TOPICS:-0}
TESTS=${TESTS:-produce,load,consume,e2e,groups,share,txn,cleaner}
CLEANER_TIMEOUT_S=${CLEANER_TIMEOUT_S:-120}
# Duplicate-key shares (%) of the clean-rate runs; empty runs only produce-while-cleaning.
CLEANER_DUPS=${CLEANER_DUPS-10 90}
TXN_DURATION_MS=${TXN_DURATION_MS:-100}
LOAD_RATE=${LOAD_RATE:-}
GROUP_CONSUMERS=${GROUP_CONSUMERS:-10}
GROUP_ROUNDS=${GROUP_ROUNDS:-3}
if [[ $QUICK == 1 ]]; then
    REPS=${REPS:-1}
    SMALL_RECORDS=${SMALL_RECORDS:-200000}
    LARGE_RECORDS=${LARGE_RECORDS:-100000}
    E2E_ITERATIONS=${E2E_ITERATIONS:-2000}
    E2E_WARMUP=${E2E_WARMUP:-200}
    SHARE_RECORDS=${SHARE_RECORDS:-50000}
    LOAD_RECORDS=${LOAD_RECORDS:-100000}
    TXN_RECORDS=${TXN_RECORDS:-100000}
    TXN_COMMITS=${TXN_COMMITS:-200}
    CLEANER_MB=${CLEANER_MB:-64}
else
    REPS=${REPS:-3}
    SMALL_RECORDS=${SMALL_RECORDS:-2000000}
    LARGE_RECORDS=${LARGE_RECORDS:-1000000}
    E2E_ITERATIONS=${E2E_ITERATIONS:-10000}
    E2E_WARMUP=${E2E_WARMUP:-1000}
    SHARE_RECORDS=${SHARE_RECORDS:-200000}
    LOAD_RECORDS=${LOAD_RECORDS:-500000}
    TXN_RECORDS=${TXN_RECORDS:-500000}
    TXN_COMMITS=${TXN_COMMITS:-1000}
    CLEANER_MB=${CLEANER_MB:-256}
fi
SHARE_CONSUMERS=4
STARTUPS=${STARTUPS:-$REPS}
PARTITIONS=6
STARTUP_TIMEOUT_S=${STARTUP_TIMEOUT_S:-180}
STOP_TIMEOUT_S=${STOP_TIMEOUT_S:-30}
IDLE_SETTLE_S=${IDLE_SETTLE_S:-5}
TOOL_TIMEOUT_S=${TOOL_TIMEOUT_S:-900}

KAFKA_PORT=19092
KAFKA_CONTROLLER_PORT=19093
KAFKA_DATA=$WORK/kafka-data
export WHARF_PORT=29092
export WHARF_CONTROLLER_PORT=29093
export WHARF_DATA=$WORK/wharf-data

# The JVM settings kafka-server-start.sh uses by default.
KAFKA_JVM_OPTS=(-Xmx1G -Xms1G -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
    -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true)
TOOL_JVM_OPTS=(-Xmx512M -XX:+UseG1GC -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$BENCH/log4j2-tools.properties")

RUN_ID=$(date +%Y%m%d-%H%M%S)
RESULTS=$WORK/results-$RUN_ID.tsv
LOGS=$WORK/logs-$RUN_ID
CLK_TCK=$(getconf CLK_TCK)

declare -A PID=()   # target -> PID of the process this script started for it
TOOL_PID=''         # PID of the client tool running right now, if any

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
warn() { log "WARNING: $*"; }
die() {
    log "ERROR: $*"
    exit 1
}

# Microseconds since the epoch, without forking, into NOW_US.
now_us() {
    local t=$EPOCHREALTIME
    NOW_US=${t/./}
}

# ---------------------------------------------------------------------------------------------------------------------
# Processes

# The PID and all its descendants, one per line.
tree_pids() {
    local p=$1 child
    [[ -d /proc/$p ]] || return 0
    echo "$p"
    for child in $(ps -o pid= --ppid "$p" 2>/dev/null); do
        tree_pids "$child"
    done
}

# True while the process exists and is not a zombie.
alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat:0:1} != Z ]]
}

# Sum of a /proc/PID/status field (in kB) over a process tree.
status_kb() {
    local root=$1 field=$2 p total=0 v
    for p in $(tree_pids "$root"); do
        v=$(awk -v f="$field:" '$1 == f { print $2 }' "/proc/$p/status" 2>/dev/null || true)
        total=$((total + ${v:-0}))
    done
    echo "$total"
}

# CPU time (user + system, in clock ticks) used so far by a process tree.
cpu_ticks() {
    local root=$1 p total=0 stat
    local -a f
    for p in $(tree_pids "$root"); do
        stat=$(cat "/proc/$p/stat" 2>/dev/null) || continue
        stat=${stat##*) }
        read -r -a f <<<"$stat"
        # After the command name: field 0 is the state, so utime and stime are fields 11 and 12.
        total=$((total + f[11] + f[12]))
    done
    echo "$total"
}

# Stops a broker this script started: TERM to its process tree, KILL after STOP_TIMEOUT_S.
stop_target() {
    local target=$1 root=${PID[$1]:-}
    [[ -n $root ]] || return 0
    local pids p waited=0
    pids=$(tree_pids "$root")
    if [[ -n $pids ]]; then
        log "stopping $target (pid $(echo $pids | tr ' ' ','))"
        kill -TERM $pids 2>/dev/null || true
        while ((waited < STOP_TIMEOUT_S * 5)); do
            local any=0
            for p in $pids; do alive "$p" && any=1; done
            ((any)) || break
            sleep 0.2
            waited=$((waited + 1))
        done
        for p in $pids; do
            if alive "$p"; then
                warn "$target pid $p did not stop after ${STOP_TIMEOUT_S}s; killing it"
                kill -KILL "$p" 2>/dev/null || true
            fi
        done
    fi
    wait "$root" 2>/dev/null || true
    unset "PID[$target]"
    rm -f "$WORK/$target.pid"
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    local t
    if [[ -n $TOOL_PID ]]; then
        kill -TERM "$TOOL_PID" 2>/dev/null || true
        wait "$TOOL_PID" 2>/dev/null || true
    fi
    for t in "${!PID[@]}"; do stop_target "$t"; done
    exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------------------
# Probes

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Sends an ApiVersions v0 request and succeeds when any response with the same correlation id comes back. Waits on the
# one connection, so the time it returns is the time the broker first answered.
api_answered() {
    local out
    out=$(
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        # size=10 | api_key=18 (ApiVersions) | api_version=0 | correlation_id=0x5748 | client_id=null
        printf '\x00\x00\x00\x0a\x00\x12\x00\x00\x00\x00\x57\x48\xff\xff' >&3
        timeout --foreground 20 head -c 8 <&3 | od -An -tx1 | tr -d ' \n'
    ) 2>/dev/null || return 1
    [[ ${out:8:8} == 00005748 ]]
}

# Waits for a started broker: fills PORT_MS (launch -> TCP connect accepted) and READY_MS (launch -> first answered
# request), polling every 20 ms.
await_broker() {
    local target=$1 port=$2 t0=$3 logfile=$4
    local deadline=$((t0 + STARTUP_TIMEOUT_S * 1000000))
    PORT_MS='' READY_MS=''
    while true; do
        alive "${PID[$target]}" || {
            tail -n 30 "$logfile" "${logfile%-stdout.log}-server.log" >&2 2>/dev/null || true
            die "$target exited during start-up (log: $logfile)"
        }
        if [[ -z $PORT_MS ]] && port_open "$port"; then
            now_us
            PORT_MS=$(((NOW_US - t0) / 1000))
        fi
        if [[ -n $PORT_MS ]] && api_answered "$port"; then
            now_us
            READY_MS=$(((NOW_US - t0) / 1000))
            return 0
        fi
        now_us
        ((NOW_US < deadline)) || die "$target did not answer on port $port within ${STARTUP_TIMEOUT_S}s (log: $logfile)"
        sleep 0.02
    done
}

check_port_free() {
    local target=$1 port
    for port in "${@:2}"; do
        if port_open "$port"; then
            local hint=''
            [[ -f $WORK/$target.pid ]] && hint=" (a previous run recorded pid $(cat "$WORK/$target.pid") in $WORK/$target.pid)"
            die "port $port is already in use$hint; stop whatever is listening there first"
        fi
    done
}

# ---------------------------------------------------------------------------------------------------------------------
# Setup

fetch_kafka() {
    if [[ -f $LIBS/.version && $(cat "$LIBS/.version") == "$KAFKA_VERSION" && -f $LIBS/kafka_2.13-$KAFKA_VERSION.jar ]]; then
        return 0
    fi
    command -v mvn >/dev/null || die "mvn is needed to fetch Apache Kafka from Maven Central"
    log "fetching Apache Kafka $KAFKA_VERSION and its tools into $LIBS"
    rm -rf "$LIBS"
    mvn -B -f "$BENCH/kafka-libs/pom.xml" -Dkafka.version="$KAFKA_VERSION" -Dstyle.color=never \
        dependency:copy-dependencies -DoutputDirectory="$LIBS" >"$LOGS/fetch.log" 2>&1 || {
        tail -n 40 "$LOGS/fetch.log" >&2
        die "fetching Apache Kafka $KAFKA_VERSION failed (log: $LOGS/fetch.log)"
    }
    [[ -f $LIBS/kafka_2.13-$KAFKA_VERSION.jar ]] || die "kafka_2.13-$KAFKA_VERSION.jar was not fetched"
    echo "$KAFKA_VERSION" >"$LIBS/.version"
}

kafka_tool() {
    "$JAVA" "${TOOL_JVM_OPTS[@]}" -cp "$LIBS/*" "$@"
}

# run_tool OUT MAIN-CLASS-OR-SOURCE ARGS...: runs a client tool with a time limit, output to OUT. The tool runs in the
# background and is waited for, so that an interrupt reaches the traps at once and cleanup can stop the tool too.
run_tool() {
    local out=$1 rc=0
    shift
    timeout --foreground "$TOOL_TIMEOUT_S" "$JAVA" "${TOOL_JVM_OPTS[@]}" -cp "$LIBS/*" "$@" >"$out" 2>&1 </dev/null &
    TOOL_PID=$!
    wait "$TOOL_PID" || rc=$?
    TOOL_PID=''
    return "$rc"
}

# A random Kafka cluster id: 16 bytes, URL-safe base64 without padding, not starting with '-'.
cluster_id() {
    local id
    while true; do
        id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
        [[ $id != -* ]] && { echo "$id"; return; }
    done
}

# Writes the properties of a single combined KRaft node and formats its (wiped) data directory.
prepare_kafka_node() {
    local name=$1 port=$2 cport=$3 data=$4
    local props=$WORK/$name-server.properties
    rm -rf "$data"
    mkdir -p "$data"
    cat >"$props" <<EOF
# Written by bench/compare-kafka.sh: one combined broker+controller KRaft node.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
    # share.version=1 turns share groups (KIP-932) on; it is the level release 4.3 formats with anyway, but said here so
    # that the share test does not depend on the release's default.
    kafka_tool kafka.tools.StorageTool format --cluster-id="$(cluster_id)" --config "$props" --feature share.version=1 \
        >"$LOGS/$name-format.log" 2>&1 || {
        cat "$LOGS/$name-format.log" >&2
        die "formatting $data failed"
    }
}

# Starts a prepared Kafka node in the background; sets PID[target] and T0 (launch time, microseconds).
launch_kafka_node() {
    local target=$1 name=$2
    now_us
    T0=$NOW_US
    "$JAVA" "${KAFKA_JVM_OPTS[@]}" "-Xlog:gc*:file=$LOGS/$name-gc.log:time,tags:filecount=5,filesize=20M" \
        "-Dlog4j2.configurationFile=$BENCH/log4j2-broker.properties" "-Dbench.log.file=$LOGS/$name-server.log" \
        -cp "$LIBS/*" kafka.Kafka "$WORK/$name-server.properties" >"$LOGS/$name-stdout.log" 2>&1 </dev/null &
    PID[$target]=$!
}

wharf_uses_kafka() { [[ ${WHARF_CMD:-} == kafka ]]; }

wharf_command() {
    if [[ -n ${WHARF_CMD:-} ]]; then
        echo "$WHARF_CMD"
    else
        # Single-quoted on purpose: bash expands $WHARF_PORT and $WHARF_DATA when it runs the command.
        echo 'bin/wharf server --override listeners=PLAINTEXT://127.0.0.1:$WHARF_PORT --override log.dirs=$WHARF_DATA --override node.id=1 --override group.initial.rebalance.delay.ms=0'
    fi
}

build_wharf() {
    local cmd
    [[ -z ${WHARF_BUILT:-} ]] || return 0
    WHARF_BUILT=1
    if [[ -n ${WHARF_BUILD_CMD:-} ]]; then
        cmd=$WHARF_BUILD_CMD
    elif [[ -z ${WHARF_CMD:-} ]]; then
        [[ -x $ROOT/bin/wharf ]] || die "$ROOT/bin/wharf not found; set WHARF_CMD to the command that starts Wharf"
        cmd='bin/wharf --version'
    else
        return 0
    fi
    log "building/checking Wharf (untimed): $cmd"
    (cd "$ROOT" && bash -c "$cmd") >"$LOGS/wharf-build.log" 2>&1 || {
        tail -n 40 "$LOGS/wharf-build.log" >&2
        die "'$cmd' failed (log: $LOGS/wharf-build.log)"
    }
}

# start_target TARGET [REP]: starts one target, waits until it answers and lets it settle. With REP, records the
# start-up times and the idle memory under that repetition number.
start_target() {
    local target=$1 rep=${2:-} port logfile
    if [[ $target == kafka ]]; then
        port=$KAFKA_PORT
        check_port_free kafka "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"
        prepare_kafka_node kafka "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$KAFKA_DATA"
        logfile=$LOGS/kafka-stdout.log
        log "starting Apache Kafka $KAFKA_VERSION on 127.0.0.1:$port"
        launch_kafka_node kafka kafka
    else
        port=$WHARF_PORT
        if wharf_uses_kafka; then
            check_port_free wharf "$WHARF_PORT" "$WHARF_CONTROLLER_PORT"
            prepare_kafka_node wharf "$WHARF_PORT" "$WHARF_CONTROLLER_PORT" "$WHARF_DATA"
            logfile=$LOGS/wharf-stdout.log
            log "starting a second Apache Kafka node as the 'wharf' target on 127.0.0.1:$port (WHARF_CMD=kafka)"
            launch_kafka_node wharf wharf
        else
            check_port_free wharf "$WHARF_PORT"
            build_wharf
            rm -rf "$WHARF_DATA"
            mkdir -p "$WHARF_DATA"
            local cmd
            cmd=$(wharf_command)
            logfile=$LOGS/wharf-stdout.log
            log "starting Wharf on 127.0.0.1:$port: $cmd"
            now_us
            T0=$NOW_US
            (cd "$ROOT" && exec bash -c "$cmd") >"$logfile" 2>&1 </dev/null &
            PID[wharf]=$!
        fi
    fi
    echo "${PID[$target]}" >"$WORK/$target.pid"
    await_broker "$target" "$port" "$T0" "$logfile"
    log "$target (pid ${PID[$target]}) accepted connections after ${PORT_MS} ms, answered after ${READY_MS} ms"
    sleep "$IDLE_SETTLE_S"
    local rss
    rss=$(status_kb "${PID[$target]}" VmRSS)
    log "$target idle RSS ${rss} kB"
    if [[ -n $rep ]]; then
        record "$rep" "$target" startup port-open ms lower "$PORT_MS"
        record "$rep" "$target" startup first-answer ms lower "$READY_MS"
        record "$rep" "$target" memory idle-rss MB lower "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')"
    fi
}

# ---------------------------------------------------------------------------------------------------------------------
# Results

# record REP TARGET TEST METRIC UNIT BETTER VALUE   (REP 0: measured once per run, i.e. the peak memory)
record() {
    [[ ${RECORDING:-1} == 1 ]] || return 0
    [[ -n $7 ]] || return 0
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$RUN_ID" "$1" "$2" "$3" "$4" "$5" "$6" "$7" >>"$RESULTS"
}

# Prints the value of the first capture group of REGEX in TEXT (empty if no match).
extract() {
    if [[ $2 =~ $1 ]]; then echo "${BASH_REMATCH[1]}"; fi
}

bootstrap_of() {
    if [[ $1 == kafka ]]; then echo "127.0.0.1:$KAFKA_PORT"; else echo "127.0.0.1:$WHARF_PORT"; fi
}

# Creates a test's topic on a target; warns and fails when it cannot.
create_topic() {
    local target=$1 topic=$2 out=$3 partitions=${4:-$PARTITIONS}
    run_tool "$out" org.apache.kafka.tools.TopicCommand --bootstrap-server "$(bootstrap_of "$target")" --create \
        --topic "$topic" --partitions "$partitions" --replication-factor 1 || {
        warn "$target: creating topic $topic failed (see $out)"
        return 1
    }
}

# Prints the last RESULT line a tool wrote to OUT; warns and fails when there is none.
result_line() {
    local target=$1 tool=$2 out=$3 line
    line=$(grep '^RESULT ' "$out" | tail -n 1 || true)
    [[ -n $line ]] || {
        warn "$target: no RESULT line from $tool (see $out)"
        return 1
    }
    echo "$line"
}

# The value of a producer-level metric that ProducerPerformance --print-metrics wrote to OUT, to one decimal.
producer_metric() {
    awk -v name="producer-metrics:$1:" 'index($0, name) == 1 { v = $NF } END { if (v != "" && v != "NaN") printf "%.1f", v }' "$2"
}

# One producer-perf run; records throughput, latency and the broker's CPU time. RATE (records/s, default -1: as fast
# as the client can) and PARTITIONS (default $PARTITIONS) are optional.
run_produce() {
    local rep=$1 target=$2 test=$3 topic=$4 records=$5 size=$6 acks=$7 rate=${8:--1} partitions=${9:-$PARTITIONS}
    local bootstrap out line c0 c1
    bootstrap=$(bootstrap_of "$target")
    out=$LOGS/$target-r$rep-$test.log
    create_topic "$target" "$topic" "$out.topic" "$partitions" || return 1
    log "$target rep $rep: $test ($records x $size B, acks=$acks, $partitions partitions, throughput $rate)"
    c0=$(cpu_ticks "${PID[$target]}")
    if ! run_tool "$out" org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$bootstrap" --topic "$topic" \
        --num-records "$records" --record-size "$size" --throughput "$rate" "${PERF_EXTRA[@]}" \
        --command-property acks="$acks" client.id="bench-$target" --print-metrics; then
        warn "$target: ProducerPerformance failed (see $out)"
        return 1
    fi
    c1=$(cpu_ticks "${PID[$target]}")
    line=$(grep -E 'records sent,.*99\.9th' "$out" | tail -n 1 || true)
    if [[ -z $line ]]; then
        warn "$target: no summary line from ProducerPerformance (see $out)"
        return 1
    fi
    grep -vE '^[a-z-]+:[a-z0-9-]+:\{' "$out" | grep -qiE 'error|exception' &&
        warn "$target: ProducerPerformance reported errors (see $out)"
    log "  $line"
    local sent
    sent=$(extract '^([0-9]+) records sent' "$line")
    [[ $sent == "$records" ]] || warn "$target: $test sent $sent records, expected $records"
    record "$rep" "$target" "$test" records/s rec/s higher "$(extract 'sent, ([0-9.]+) records/sec' "$line")"
    record "$rep" "$target" "$test" throughput MB/s higher "$(extract '\(([0-9.]+) MB/sec\)' "$line")"
    record "$rep" "$target" "$test" latency-avg ms lower "$(extract '([0-9.]+) ms avg latency' "$line")"
    record "$rep" "$target" "$test" latency-p50 ms lower "$(extract '([0-9.]+) ms 50th' "$line")"
    record "$rep" "$target" "$test" latency-p99 ms lower "$(extract '([0-9.]+) ms 99th' "$line")"
    record "$rep" "$target" "$test" latency-p999 ms lower "$(extract '([0-9.]+) ms 99\.9th' "$line")"
    # The client's own view of the broker: a request's round trip, apart from the time records queue in the client.
    record "$rep" "$target" "$test" request-latency ms lower "$(producer_metric request-latency-avg "$out")"
    record "$rep" "$target" "$test" client-queue-time ms lower "$(producer_metric record-queue-time-avg "$out")"
    if [[ $target == kafka && $test == produce-1KiB-acksall && -z $KAFKA_FULL_RATE ]]; then
        KAFKA_FULL_RATE=$(extract 'sent, ([0-9.]+) records/sec' "$line")
    fi
    record "$rep" "$target" "$test" broker-cpu s lower "$(awk -v d=$((c1 - c0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", d / hz }')"
}

# Extra ProducerPerformance arguments of the run in progress (the transactional test sets them).
PERF_EXTRA=()
# Extra consumer properties of the ConsumerPerformance run in progress.
CONSUME_PROPS=()

# Transactions: 1 KiB acks=all records at full speed, each transaction open TXN_DURATION_MS, then the topic read back
# read_committed; then TXN_COMMITS transactions of 100 records of 1 KiB over the partitions, one after the other, with
# each commit timed.
run_txn() {
    local rep=$1 target=$2 prefix=$3 ok=0
    PERF_EXTRA=(--transactional-id "bench-$RUN_ID-r$rep-$target-txn" --transaction-duration-ms "$TXN_DURATION_MS")
    run_produce "$rep" "$target" txn-produce-1KiB "$prefix-txn" "$TXN_RECORDS" 1024 all && ok=1
    PERF_EXTRA=()
    if ((ok)); then
        CONSUME_PROPS=(isolation.level=read_committed)
        run_consume "$rep" "$target" txn-consume-read-committed "$prefix-txn" "$TXN_RECORDS" || true
        CONSUME_PROPS=()
    fi
    run_txn_commit "$rep" "$target" txn-commit-100x1KiB "$prefix-txn-commit" || true
}

run_txn_commit() {
    local rep=$1 target=$2 test=$3 topic=$4
    local out line c0 c1
    out=$LOGS/$target-r$rep-$test.log
    create_topic "$target" "$topic" "$out.topic" || return 1
    log "$target rep $rep: $test ($TXN_COMMITS transactions of 100 x 1024 B, commits timed)"
    c0=$(cpu_ticks "${PID[$target]}")
    if ! run_tool "$out" "$BENCH/TxnCommit.java" --bootstrap-server "$(bootstrap_of "$target")" --topic "$topic" \
        --partitions "$PARTITIONS" --transactions "$TXN_COMMITS" --records-per-txn 100 --record-size 1024 \
        --transactional-id "bench-$RUN_ID-r$rep-$target-commit"; then
        warn "$target: TxnCommit failed (see $out)"
        return 1
    fi
    c1=$(cpu_ticks "${PID[$target]}")
    line=$(result_line "$target" TxnCommit "$out") || return 1
    log "  $(grep -A3 'transactions of' "$out" | tr -s ' \n' ' ')"
    record "$rep" "$target" "$test" transactions/s txn/s higher "$(extract 'txn_per_s=([0-9.]+)' "$line")"
    local step
    for step in total flush commit; do
        record "$rep" "$target" "$test" "$step-p50" ms lower "$(extract "${step}_p50_ms=([0-9.]+)" "$line")"
        record "$rep" "$target" "$test" "$step-p99" ms lower "$(extract "${step}_p99_ms=([0-9.]+)" "$line")"
    done
    record "$rep" "$target" "$test" commit-avg ms lower "$(extract 'commit_avg_ms=([0-9.]+)' "$line")"
    record "$rep" "$target" "$test" commit-p99.9 ms lower "$(extract 'commit_p999_ms=([0-9.]+)' "$line")"
    record "$rep" "$target" "$test" broker-cpu s lower "$(awk -v d=$((c1 - c0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", d / hz }')"
}

# The log a target's broker writes its own messages to.
broker_log() {
    if [[ $1 == kafka ]]; then
        echo "$LOGS/kafka-server.log"
    elif wharf_uses_kafka; then
        echo "$LOGS/wharf-server.log"
    else
        echo "$LOGS/wharf-stdout.log"
    fi
}

# Prints "BYTES MILLISECONDS END_MS" of the first cleaning pass of partition 0 of TOPIC that the broker logged after
# line MARK of LOGFILE, as Kafka's cleaner (MiB and seconds, to one decimal) or Wharf's (bytes and milliseconds) writes
# it; END_MS is the time of the log line that reports the pass, in epoch milliseconds.
cleaner_pass() {
    local logfile=$1 mark=$2 topic=$3 found bytes ms stamp
    found=$(tail -n +"$((mark + 1))" "$logfile" | awk -v name="$topic-0" '
        match($0, /[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9][,.][0-9][0-9][0-9]/) {
            stamp = substr($0, RSTART, RLENGTH); sub(",", ".", stamp)
        }
        index($0, "cleaned log " name " (") { kafka = 1; next }
        kafka && /MB of log processed in/ {
            for (i = 1; i <= NF; i++) {
                if ($(i + 1) == "MB" && $(i + 2) == "of") { mb = $i; gsub(",", "", mb) }
                if ($(i + 1) == "seconds") { s = $i; gsub(",", "", s) }
            }
            printf "%.0f %.0f %s\n", mb * 1048576, s * 1000, stamp
            exit
        }
        index($0, "Cleaned " name ": ") {
            for (i = 1; i <= NF; i++) {
                if ($(i + 1) == "read,") b = $i
                if ($(i + 1) == "ms" && $(i - 1) == "in") ms = $i
            }
            print b, ms, stamp
            exit
        }')
    [[ -n $found ]] || return 0
    read -r bytes ms stamp <<<"$found"
    echo "$bytes $ms $(date -u -d "$stamp" +%s%3N)"
}

# Writes CLEANER_MB MB of 1 KiB records, DUP% of them repeating a key, to a new compacted topic whose
# min.compaction.lag.ms holds its cleaner back; fails when the topic or the records could not be written.
write_dirty_log() {
    local target=$1 topic=$2 dup=$3 out=$4 records
    records=$((CLEANER_MB * 1000 * 1000 / 1024))
    run_tool "$out.topic" org.apache.kafka.tools.TopicCommand --bootstrap-server "$(bootstrap_of "$target")" --create \
        --topic "$topic" --partitions 1 --replication-factor 1 --config cleanup.policy=compact \
        --config segment.bytes=$((16 * 1024 * 1024)) --config min.compaction.lag.ms=3600000 || {
        warn "$target: creating topic $topic failed (see $out.topic)"
        return 1
    }
    if ! run_tool "$out" "$BENCH/KeyedProduce.java" --bootstrap-server "$(bootstrap_of "$target")" --topic "$topic" \
        --records "$records" --record-size 1024 --duplicates "0.$dup"; then
        warn "$target: KeyedProduce failed (see $out)"
        return 1
    fi
}

# Sets min.compaction.lag.ms of TOPIC to 0 and waits for the broker to log the pass that follows; sets PASS to
# "BYTES MILLISECONDS END_MS" (see cleaner_pass) and RELEASE_MS to when it began, or fails.
release_and_await_pass() {
    local target=$1 topic=$2 out=$3 logfile mark deadline
    logfile=$(broker_log "$target")
    mark=$(wc -l <"$logfile")
    PASS=''
    now_us
    RELEASE_MS=$((NOW_US / 1000))
    if ! run_tool "$out.alter" kafka.admin.ConfigCommand --bootstrap-server "$(bootstrap_of "$target")" --alter \
        --entity-type topics --entity-name "$topic" --add-config min.compaction.lag.ms=0; then
        warn "$target: setting min.compaction.lag.ms of $topic failed (see $out.alter)"
        return 1
    fi
    now_us
    deadline=$((NOW_US + CLEANER_TIMEOUT_S * 1000000))
    while true; do
        PASS=$(cleaner_pass "$logfile" "$mark" "$topic")
        [[ -n $PASS ]] && return 0
        now_us
        ((NOW_US < deadline)) || break
        sleep 0.5
    done
    warn "$target: no cleaning pass of $topic-0 logged within ${CLEANER_TIMEOUT_S}s (see $logfile)"
    return 1
}

# Log compaction, with 10% and then 90% of the records repeating a key: CLEANER_MB MB of 1 KiB records are written to
# a new compacted topic whose min.compaction.lag.ms holds its cleaner back; then the lag is set to 0 and the broker's
# own log of the pass that follows gives the rate (MB of log read per second of the whole pass: Kafka's cleaner
# stats, Wharf's pass line). The raw disk rate (dd, 1 MiB writes, then fdatasync) is measured in between, each time,
# so the cleaning rates can be read against what the disk did in the same minute.
# Then produce while cleaning: a third such log (10% repeats) is released while ProduceTimeline writes 1 KiB acks=all
# records to a 6-partition topic at full speed; its acknowledgements per 100 ms in the first 10 s of the pass are
# compared with those from its 10th second to the release (20 s after its start), in the same run.
run_cleaner() {
    local rep=$1 target=$2 prefix=$3
    local dup topic out raw bytes ms end_ms stop timeline_pid line
    for dup in $CLEANER_DUPS; do
        topic=$prefix-clean-$dup
        out=$LOGS/$target-r$rep-cleaner-$dup.log
        log "$target rep $rep: cleaner-${dup}pct-dup ($((CLEANER_MB * 1000 * 1000 / 1024)) x 1 KiB, $dup% of them repeating a key)"
        write_dirty_log "$target" "$topic" "$dup" "$out" || continue
        raw=$(dd if=/dev/zero of="$WORK/raw-disk.bin" bs=1M count="$CLEANER_MB" conv=fdatasync 2>&1 | tail -n 1 |
            awk '{ for (i = 1; i <= NF; i++) if ($(i + 1) == "s,") s = $i; if (s > 0) printf "%.1f", $1 / 1e6 / s }')
        rm -f "$WORK/raw-disk.bin"
        release_and_await_pass "$target" "$topic" "$out" || continue
        read -r bytes ms end_ms <<<"$PASS"
        log "  cleaned $((bytes / 1000000)) MB in $ms ms; raw disk ${raw} MB/s"
        record "$rep" "$target" "cleaner-${dup}pct-dup" clean-rate MB/s higher \
            "$(awk -v b="$bytes" -v ms="$ms" 'BEGIN { if (ms > 0) printf "%.1f", b / 1e6 / (ms / 1000) }')"
        record "$rep" "$target" "cleaner-${dup}pct-dup" raw-disk-rate MB/s higher "$raw"
    done

    topic=$prefix-clean-busy
    out=$LOGS/$target-r$rep-cleaner-busy.log
    log "$target rep $rep: produce-while-cleaning (1 KiB acks=all at full speed while a log like cleaner-10pct-dup is cleaned)"
    write_dirty_log "$target" "$topic" 10 "$out" || return 1
    create_topic "$target" "$topic-produce" "$out.produce-topic" || return 1
    stop=$WORK/timeline-stop
    rm -f "$stop"
    "$JAVA" "${TOOL_JVM_OPTS[@]}" -cp "$LIBS/*" "$BENCH/ProduceTimeline.java" --bootstrap-server "$(bootstrap_of "$target")" \
        --topic "$topic-produce" --record-size 1024 --acks all --stop-file "$stop" --max-seconds 240 \
        >"$out.timeline" 2>&1 </dev/null &
    timeline_pid=$!
    # 20 s of produce alone first: on two cores the producer takes about 10 s to reach its rate, which is skipped.
    sleep 20
    if ! release_and_await_pass "$target" "$topic" "$out"; then
        touch "$stop"
        wait "$timeline_pid" || true
        return 1
    fi
    sleep 4
    touch "$stop"
    wait "$timeline_pid" || { warn "$target: ProduceTimeline failed (see $out.timeline)"; return 1; }
    rm -f "$stop"
    read -r bytes ms end_ms <<<"$PASS"
    line=$(result_line "$target" ProduceTimeline "$out.timeline") || return 1
    # The rate in the first 10 s of the pass against the rate from 10 s after the producer's start until the release:
    # a paced pass lasts a minute, and a minute of full-speed produce fills the page cache, which slows it whatever
    # the cleaner does.
    read -r during outside <<<"$(awk -v line="$line" -v from=$((end_ms - ms)) -v to="$end_ms" -v release="$RELEASE_MS" 'BEGIN {
        n = split(line, kv, " ")
        for (i = 1; i <= n; i++) { split(kv[i], p, "="); v[p[1]] = p[2] }
        k = split(v["counts"], c, ",")
        if (to > from + 10000) to = from + 10000
        for (b = 1; b < k; b++) {             # the last bucket is partial
            s = v["start_ms"] + (b - 1) * v["bucket_ms"]; e = s + v["bucket_ms"]
            if (s >= from && e <= to) { in_n += c[b]; in_b++ }
            else if ((b - 1) * v["bucket_ms"] >= 10000 && e <= release) { out_n += c[b]; out_b++ }
        }
        secs = v["bucket_ms"] / 1000
        d = ""; o = ""
        if (in_b >= 3) d = sprintf("%.0f", in_n / (in_b * secs))
        if (out_b >= 10) o = sprintf("%.0f", out_n / (out_b * secs))
        print d, o
    }')"
    if [[ -z $during || -z $outside ]]; then
        warn "$target: the pass ($ms ms) or the time around it was too short to compare produce rates (see $out.timeline)"
        return 1
    fi
    log "  cleaned $((bytes / 1000000)) MB in $ms ms; produce $during rec/s during the pass, $outside rec/s outside it"
    record "$rep" "$target" produce-while-cleaning rate-during-pass rec/s higher "$during"
    record "$rep" "$target" produce-while-cleaning rate-outside-pass rec/s higher "$outside"
    record "$rep" "$target" produce-while-cleaning during/outside ratio higher \
        "$(awk -v d="$during" -v o="$outside" 'BEGIN { printf "%.2f", d / o }')"
}

# Kafka's first full-speed 1 KiB acks=all rate in this run (warm-up included): what the fixed-load tests offer half of.
KAFKA_FULL_RATE=''

# The fixed-load tests: 1 KiB acks=all at half of Kafka's full-speed rate, on 6 and on 60 partitions, so latency is
# compared at a load both brokers can carry rather than at whatever rate the client manages to push.
run_load() {
    local rep=$1 target=$2 prefix=$3 rate=$LOAD_RATE partitions
    if [[ -z $rate ]]; then
        if [[ -z $KAFKA_FULL_RATE ]]; then
            warn "$target: skipping the fixed-load tests: no Kafka full-speed rate yet (run produce with kafka, or set LOAD_RATE)"
            return 1
        fi
        rate=$(awk -v r="$KAFKA_FULL_RATE" 'BEGIN { printf "%d", r / 2 }')
    fi
    for partitions in 6 60; do
        run_produce "$rep" "$target" "load-1KiB-acksall-${partitions}p" "$prefix-load-$partitions" "$LOAD_RECORDS" 1024 \
            all "$rate" "$partitions" || true
    done
}

# One consumer-perf run over a topic that already holds RECORDS records.
run_consume() {
    local rep=$1 target=$2 test=$3 topic=$4 records=$5
    local bootstrap out header values c0 c1
    bootstrap=$(bootstrap_of "$target")
    out=$LOGS/$target-r$rep-$test.log
    log "$target rep $rep: $test ($records records from $topic)"
    c0=$(cpu_ticks "${PID[$target]}")
    if ! run_tool "$out" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$bootstrap" --topic "$topic" \
        --num-records "$records" --group "bench-$RUN_ID-$target-r$rep" --timeout 30000 \
        --command-property client.id="bench-$target" "${CONSUME_PROPS[@]}"; then
        warn "$target: ConsumerPerformance failed (see $out)"
        return 1
    fi
    c1=$(cpu_ticks "${PID[$target]}")
    header=$(grep -m1 '^start.time' "$out" || true)
    values=$(grep -A1 '^start.time' "$out" | tail -n 1 || true)
    if [[ -z $header || -z $values || $values == "$header" ]]; then
        warn "$target: no result line from ConsumerPerformance (see $out)"
        return 1
    fi
    grep -q 'WARNING' "$out" && warn "$target: $(grep 'WARNING' "$out" | head -n 1)"
    log "  $values"
    declare -A col=()
    local IFS=','
    local -a names=($header) vals=($values)
    unset IFS
    local i
    for i in "${!names[@]}"; do
        col[${names[$i]// /}]=${vals[$i]// /}
    done
    [[ ${col[data.consumed.in.nMsg]:-} == "$records" ]] ||
        warn "$target: $test consumed ${col[data.consumed.in.nMsg]:-?} records, expected $records"
    record "$rep" "$target" "$test" throughput MB/s higher "${col[MB.sec]:-}"
    record "$rep" "$target" "$test" records/s rec/s higher "${col[nMsg.sec]:-}"
    record "$rep" "$target" "$test" fetch-throughput MB/s higher "${col[fetch.MB.sec]:-}"
    record "$rep" "$target" "$test" fetch-records/s rec/s higher "${col[fetch.nMsg.sec]:-}"
    record "$rep" "$target" "$test" group-join ms lower "${col[rebalance.time.ms]:-}"
    record "$rep" "$target" "$test" broker-cpu s lower "$(awk -v d=$((c1 - c0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", d / hz }')"
}

# One run of the microsecond end-to-end latency tool.
run_e2e() {
    local rep=$1 target=$2 test=$3 topic=$4
    local bootstrap out line
    bootstrap=$(bootstrap_of "$target")
    out=$LOGS/$target-r$rep-$test.log
    create_topic "$target" "$topic" "$out.topic" || return 1
    log "$target rep $rep: $test ($E2E_ITERATIONS round trips after $E2E_WARMUP warm-up)"
    if ! run_tool "$out" "$BENCH/E2eLatency.java" --bootstrap-server "$bootstrap" --topic "$topic" \
        --iterations "$E2E_ITERATIONS" --warmup "$E2E_WARMUP" --record-size 100; then
        warn "$target: E2eLatency failed (see $out)"
        return 1
    fi
    line=$(result_line "$target" E2eLatency "$out") || return 1
    log "  $(grep 'round trips' "$out" | tail -n 1)"
    record "$rep" "$target" "$test" latency-avg us lower "$(extract 'avg_us=([0-9.]+)' "$line")"
    record "$rep" "$target" "$test" latency-p50 us lower "$(extract 'p50_us=([0-9.]+)' "$line")"
    record "$rep" "$target" "$test" latency-p99 us lower "$(extract 'p99_us=([0-9.]+)' "$line")"
    record "$rep" "$target" "$test" latency-p99.9 us lower "$(extract 'p999_us=([0-9.]+)' "$line")"
}

# One run of the share group tool: SHARE_CONSUMERS share consumers of a new share group take SHARE_RECORDS records of
# 1 KiB that the tool writes first; records throughput of confirmed acceptances and acquisition-to-acknowledgement
# latency, and the broker's CPU time.
run_share() {
    local rep=$1 target=$2 test=$3 topic=$4
    local bootstrap out line c0 c1
    bootstrap=$(bootstrap_of "$target")
    out=$LOGS/$target-r$rep-$test.log
    create_topic "$target" "$topic" "$out.topic" || return 1
    log "$target rep $rep: $test ($SHARE_RECORDS x 1024 B, $SHARE_CONSUMERS share consumers)"
    c0=$(cpu_ticks "${PID[$target]}")
    if ! run_tool "$out" "$BENCH/ShareBench.java" --bootstrap-server "$bootstrap" --topic "$topic" \
        --group "$topic-group" --records "$SHARE_RECORDS" --record-size 1024 --consumers "$SHARE_CONSUMERS"; then
        warn "$target: ShareBench failed (see $out)"
        return 1
    fi
    c1=$(cpu_ticks "${PID[$target]}")
    line=$(result_line "$target" ShareBench "$out") || return 1
    log "  $(grep 'share consumers in' "$out" | tail -n 1)"
    [[ $(extract 'accepted=([0-9]+)' "$line") == "$SHARE_RECORDS" ]] ||
        warn "$target: $test accepted $(extract 'accepted=([0-9]+)' "$line") records, expected $SHARE_RECORDS"
    record "$rep" "$target" "$test" records/s rec/s higher "$(extract 'records_per_s=([0-9.]+)' "$line")"
    record "$rep" "$target" "$test" ack-latency-avg ms lower \
        "$(awk -v u="$(extract 'avg_us=([0-9.]+)' "$line")" 'BEGIN { printf "%.2f", u / 1000 }')"
    record "$rep" "$target" "$test" ack-latency-p50 ms lower \
        "$(awk -v u="$(extract 'p50_us=([0-9.]+)' "$line")" 'BEGIN { printf "%.2f", u / 1000 }')"
    record "$rep" "$target" "$test" ack-latency-p99 ms lower \
        "$(awk -v u="$(extract 'p99_us=([0-9.]+)' "$line")" 'BEGIN { printf "%.2f", u / 1000 }')"
    record "$rep" "$target" "$test" redelivered count lower "$(extract 'redelivered=([0-9]+)' "$line")"
    record "$rep" "$target" "$test" broker-cpu s lower "$(awk -v d=$((c1 - c0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", d / hz }')"
}

# Whether the test group $1 is in TESTS.
wanted() {
    [[ ",$TESTS," == *",$1,"* ]]
}

# Group membership: GROUP_CONSUMERS consumers join a fresh group, then one leaves; once per group protocol.
run_groups() {
    local rep=$1 target=$2 topic=$3
    local bootstrap out line protocol
    bootstrap=$(bootstrap_of "$target")
    out=$LOGS/$target-r$rep-groups.log
    create_topic "$target" "$topic" "$out.topic" $((2 * GROUP_CONSUMERS)) || return 1
    for protocol in classic consumer; do
        log "$target rep $rep: groups-$protocol ($GROUP_CONSUMERS consumers, $GROUP_ROUNDS rounds)"
        if ! run_tool "$out.$protocol" "$BENCH/GroupRebalance.java" --bootstrap-server "$bootstrap" --topic "$topic" \
            --protocol "$protocol" --consumers "$GROUP_CONSUMERS" --rounds "$GROUP_ROUNDS"; then
            warn "$target: GroupRebalance ($protocol) failed (see $out.$protocol)"
            continue
        fi
        line=$(result_line "$target" GroupRebalance "$out.$protocol") || continue
        grep '^round ' "$out.$protocol" | while read -r l; do log "  $l"; done
        record "$rep" "$target" "groups-$protocol" join-10 ms lower "$(extract 'join_ms=([0-9]+)' "$line")"
        record "$rep" "$target" "groups-$protocol" rebalance-leave ms lower "$(extract 'rebalance_ms=([0-9]+)' "$line")"
    done
}

# All tests against one target. A test that fails is reported and skipped; the others still run.
run_pass() {
    local rep=$1 target=$2 label=$3
    local prefix="bench-$RUN_ID-r$rep-$target"
    local bootstrap
    bootstrap=$(bootstrap_of "$target")
    log "=== $label: $target ==="
    if wanted produce; then
        run_produce "$rep" "$target" produce-100B-acks1 "$prefix-100b-acks1" "$SMALL_RECORDS" 100 1 || true
        run_produce "$rep" "$target" produce-100B-acksall "$prefix-100b-acksall" "$SMALL_RECORDS" 100 all || true
    fi
    local consumable=0
    if wanted produce || wanted consume; then
        run_produce "$rep" "$target" produce-1KiB-acks1 "$prefix-1k-acks1" "$LARGE_RECORDS" 1024 1 && consumable=1
    fi
    # The fixed-load tests offer half of Kafka's rate in this test, so they need it run first.
    if wanted produce || { wanted load && [[ -z $LOAD_RATE ]]; }; then
        run_produce "$rep" "$target" produce-1KiB-acksall "$prefix-1k-acksall" "$LARGE_RECORDS" 1024 all || true
    fi
    if wanted load; then
        run_load "$rep" "$target" "$prefix" || true
    fi
    if wanted consume; then
        if ((consumable)); then
            run_consume "$rep" "$target" consume-1KiB "$prefix-1k-acks1" "$LARGE_RECORDS" || true
        else
            warn "$target: skipping consume-1KiB, its input topic was not written"
        fi
    fi
    if wanted e2e; then
        run_e2e "$rep" "$target" e2e-100B "$prefix-e2e" || true
    fi
    # Group timings depend on the heartbeat intervals, not on warmed-up code: no warm-up pass for them.
    if wanted groups && [[ $rep != w ]]; then
        run_groups "$rep" "$target" "$prefix-groups" || true
    fi
    if wanted share; then
        run_share "$rep" "$target" share-1KiB-4consumers "$prefix-share" || true
    fi
    if wanted txn; then
        run_txn "$rep" "$target" "$prefix" || true
    fi
    if wanted cleaner; then
        run_cleaner "$rep" "$target" "$prefix" || true
    fi
    if [[ $KEEP_TOPICS != 1 ]]; then
        run_tool "$LOGS/$target-r$rep-delete.log" org.apache.kafka.tools.TopicCommand \
            --bootstrap-server "$bootstrap" --delete --topic "$prefix-.*" ||
            warn "$target: deleting topics $prefix-* failed (see $LOGS/$target-r$rep-delete.log)"
    fi
}

print_summary() {
    echo
    echo "Wharf vs Apache Kafka $KAFKA_VERSION: medians of $REPS repetition(s), of $STARTUPS start(s) for start-up" \
        "and idle memory; peak memory is measured once."
    echo "Ratio = wharf/kafka. Where 'better' is higher, a ratio above 1 favours Wharf; where it is lower, below 1 does."
    echo
    awk -F'\t' '
        NR == 1 { next }
        {
            key = $4 SUBSEP $5
            if (!($4 in testidx)) testidx[$4] = ++ntests
            if (!(key in seen)) {
                seen[key] = 1; order[++n] = key; unit[key] = $6; better[key] = $7
                rank[n] = testidx[$4] * 100000 + n
            }
            k = key SUBSEP $3
            cnt[k]++
            val[k, cnt[k]] = $8 + 0
        }
        function median(k,    i, j, m, t, a) {
            m = cnt[k]
            if (m == 0) return ""
            for (i = 1; i <= m; i++) a[i] = val[k, i]
            for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
            return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
        }
        function fmt(v) {
            if (v == "") return "-"
            if (v >= 1000) return sprintf("%.0f", v)
            if (v >= 10) return sprintf("%.1f", v)
            return sprintf("%.2f", v)
        }
        END {
            # Group the rows by test, in the order the tests first appeared.
            for (i = 2; i <= n; i++) {
                t = order[i]; r = rank[i]
                for (j = i - 1; j >= 1 && rank[j] > r; j--) { order[j + 1] = order[j]; rank[j + 1] = rank[j] }
                order[j + 1] = t; rank[j + 1] = r
            }
            printf "%-22s %-18s %-7s %-7s %12s %12s %12s\n", "test", "metric", "unit", "better", "kafka", "wharf", "wharf/kafka"
            printf "%-22s %-18s %-7s %-7s %12s %12s %12s\n", "----", "------", "----", "------", "-----", "-----", "-----------"
            for (i = 1; i <= n; i++) {
                key = order[i]
                split(key, parts, SUBSEP)
                mk = median(key SUBSEP "kafka"); mw = median(key SUBSEP "wharf")
                ratio = (mk != "" && mw != "" && mk != 0) ? sprintf("%.2f", mw / mk) : "-"
                printf "%-22s %-18s %-7s %-7s %12s %12s %12s\n", parts[1], parts[2], unit[key], better[key], fmt(mk), fmt(mw), ratio
            }
        }' "$RESULTS"
    echo
    echo "Raw numbers: $RESULTS"
    echo "Logs:        $LOGS"
}

# ---------------------------------------------------------------------------------------------------------------------
# Main

main() {
    local -a targets=()
    local t
    for t in ${TARGETS//,/ }; do
        case $t in
        kafka | wharf) targets+=("$t") ;;
        *) die "unknown target '$t' in TARGETS (use kafka, wharf or kafka,wharf)" ;;
        esac
    done
    ((${#targets[@]} > 0)) || die "TARGETS is empty"
    [[ $REPS =~ ^[1-9][0-9]*$ ]] || die "REPS must be a positive integer"
    [[ $STARTUPS =~ ^[1-9][0-9]*$ ]] || die "STARTUPS must be a positive integer"
    command -v "$JAVA" >/dev/null || die "java not found"
    if [[ " ${targets[*]} " == *" wharf "* && -z ${WHARF_CMD:-} && ! -x $ROOT/bin/wharf ]]; then
        die "$ROOT/bin/wharf not found; use TARGETS=kafka, or set WHARF_CMD to the command that starts Wharf"
    fi

    mkdir -p "$WORK" "$LOGS"
    fetch_kafka
    printf 'run_id\trep\ttarget\ttest\tmetric\tunit\tbetter\tvalue\n' >"$RESULTS"
    log "run $RUN_ID: targets=${targets[*]} reps=$REPS warmup=$WARMUP quick=$QUICK tests=$TESTS" \
        "records=$SMALL_RECORDS x 100 B, $LARGE_RECORDS x 1 KiB, $SHARE_RECORDS shared; results in $RESULTS"

    # Start-up time and idle memory: each broker started alone, in turn, STARTUPS times, then stopped again.
    local i
    for ((i = 1; i <= STARTUPS; i++)); do
        for t in "${targets[@]}"; do
            log "--- start-up $i/$STARTUPS: $t ---"
            start_target "$t" "$i"
            stop_target "$t"
        done
    done
    # The brokers for the tests, started one after the other; both stay up until the end.
    log "--- starting the brokers for the tests ---"
    for t in "${targets[@]}"; do start_target "$t"; done

    if [[ $WARMUP == 1 ]]; then
        RECORDING=0
        for t in "${targets[@]}"; do run_pass w "$t" "warm-up (not recorded)"; done
        RECORDING=1
    fi
    local rep
    for ((rep = 1; rep <= REPS; rep++)); do
        for t in "${targets[@]}"; do run_pass "$rep" "$t" "repetition $rep/$REPS"; done
    done

    for t in "${targets[@]}"; do
        local hwm
        hwm=$(status_kb "${PID[$t]}" VmHWM)
        record 0 "$t" memory peak-rss MB lower "$(awk -v k="$hwm" 'BEGIN { printf "%.1f", k / 1024 }')"
    done
    for t in "${targets[@]}"; do stop_target "$t"; done

    print_summary
}

main "$@"
