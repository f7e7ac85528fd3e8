#!/usr/bin/env bash
# A 3-node Wharf cluster side by side with a 3-node Apache Kafka KRaft cluster on this machine, in one run: the
# metadata figures (100 topics x 6 partitions RF=3 created, controller leader SIGKILL -> next CreateTopics, broker
# SIGKILL -> serving again after restart, idle RSS) and the replication figures (RF=3, min.insync.replicas=2: acks=all
# produce of 100 B and 1 KiB with Kafka's ProducerPerformance, ConsumerPerformance 1 KiB, leader SIGKILL -> first
# acknowledged send, broker CPU seconds, and bench/E2eLatency.java with acks=all: 100 B records one at a time, send
# to seen by a consumer, E2E_ITERATIONS after E2E_WARMUP). Wharf runs twice: with its default flush policy (fsync on
# every in-sync replica before an acknowledgement) and with wharf.log.flush.policy=os (page cache, as Kafka).
#
#   bench/compare-kafka-cluster.sh                       # about 10 minutes on 2 cores
#   SMALL_RECORDS=200000 LARGE_RECORDS=100000 bench/compare-kafka-cluster.sh    # shorter
#   TARGETS="kafka wharf" bench/compare-kafka-cluster.sh # leave out wharf-os
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$ROOT/bench/work/cluster
LIBS=$ROOT/bench/work/kafka-libs
KAFKA_VERSION=${KAFKA_VERSION:-4.3.1}
TARGETS=${TARGETS:-kafka wharf wharf-os}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
mkdir -p "$WORK"

if [[ ! -f $LIBS/kafka_2.13-$KAFKA_VERSION.jar ]]; then
    echo "fetching Apache Kafka $KAFKA_VERSION into $LIBS" >&2
    "$ROOT/mvnw" -q -B -ntp -f "$ROOT/bench/kafka-libs/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
        dependency:copy-dependencies -DoutputDirectory="$LIBS" >&2
fi
"$ROOT/bin/wharf" --version >/dev/null

for t in $TARGETS; do
    echo "measuring $t" >&2
    "$JAVA" -Dsmall.records="${SMALL_RECORDS:-500000}" -Dlarge.records="${LARGE_RECORDS:-300000}" \
        -De2e.iterations="${E2E_ITERATIONS:-5000}" -De2e.warmup="${E2E_WARMUP:-500}" \
        -cp "$LIBS/*" "$ROOT/bench/ClusterBench.java" "$t" "$WORK" "$ROOT" >"$WORK/$t.tsv"
done

# One row per figure: Kafka's value, then each Wharf target's value and its ratio to Kafka's.
awk -F'\t' -v targets="$TARGETS" '
    BEGIN { n = split(targets, t, " ") }
    { v[FILENAME, $1] = $3; unit[$1] = $2; if (!($1 in seen)) { seen[$1] = 1; order[++m] = $1 } }
    END {
        printf "%-30s %-10s", "figure", "unit"
        for (i = 1; i <= n; i++) printf " %12s", t[i]
        for (i = 2; i <= n; i++) printf " %12s", t[i] "/" t[1]
        print ""
        for (j = 1; j <= m; j++) {
            k = order[j]; printf "%-30s %-10s", k, unit[k]
            for (i = 1; i <= n; i++) printf " %12s", v[dir "/" t[i] ".tsv", k]
            for (i = 2; i <= n; i++) {
                a = v[dir "/" t[1] ".tsv", k]; b = v[dir "/" t[i] ".tsv", k]
                if (a > 0 && b != "") printf " %12.2f", b / a; else printf " %12s", "-"
            }
            print ""
        }
    }' dir="$WORK" $(for t in $TARGETS; do echo "$WORK/$t.tsv"; done)
