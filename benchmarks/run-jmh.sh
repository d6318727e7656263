#!/usr/bin/env bash
# Builds the benchmarks and runs the configuration of record (2 forks x 5 warm-up + 8 measured
# iterations of 1 s, -prof gc, every benchmark at 0 B, 1 KiB, 64 KiB and 1 MiB), then SchemeBenchmark's
# nine schemes at 1 KiB and 64 KiB with one fork, then the senders' SDKs beside our verify of their schemes at
# 1 KiB: about 45 minutes on 2 cores. Leaves in benchmarks/target/:
#   jmh-result.json   JMH's full result (every iteration of every fork); jmh-schemes.json SchemeBenchmark's;
#                     jmh-sdks.json the SDKs' run
#   jmh-tables.md     the tables of BENCHMARKS.md, printed by RatioTable from that JSON
#   jmh-environment.txt  machine, JDK, and the 1-minute load average sampled during the run
# Extra arguments go to JMH, e.g. a quick look: benchmarks/run-jmh.sh -f 1 -wi 3 -i 5 -p bodyBytes=1024
set -euo pipefail
cd "$(dirname "$0")/.."
out=benchmarks/target
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

mvn -B -q -pl benchmarks -am -DskipTests package

# The machine is recorded with the figures: a loaded machine inflates and spreads them.
(while true; do cut -d' ' -f1 /proc/loadavg; sleep 10; done) > "$out/jmh-load.txt" &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true' EXIT

started=$(date +%s)
"$java" -jar "$out/benchmarks.jar" -e SchemeBenchmark -prof gc -rf json -rff "$out/jmh-result.json" "$@" \
    | tee "$out/jmh-output.txt"
# Nine schemes x three benchmarks: the sizes the targets name, one fork, or the run would take an hour more.
"$java" -jar "$out/benchmarks.jar" SchemeBenchmark -p bodyBytes=1024,65536 -f 1 -prof gc \
    -rf json -rff "$out/jmh-schemes.json" "$@" | tee -a "$out/jmh-output.txt"
# The senders' SDKs and our verify of their schemes in one run, so that each SDK / ours ratio is of one run.
"$java" -jar "$out/benchmarks.jar" 'PeerBenchmark\.(stripe|standardWebhooks|svix|slack)$|SchemeBenchmark\.verify$' \
    -p bodyBytes=1024 -p scheme=stripe,standard-webhooks,svix,slack -rf json -rff "$out/jmh-sdks.json" "$@" \
    | tee -a "$out/jmh-output.txt"
minutes=$(( ($(date +%s) - started + 30) / 60 ))

{
    echo "date: $(date -u +%Y-%m-%dT%H:%MZ), run time: ${minutes} min"
    echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) cores," \
         "sha_ni: $(grep -qw sha_ni /proc/cpuinfo && echo yes || echo no), memory: $(free -g | awk '/^Mem:/ {print $2}') GiB"
    echo "java: $("$java" -version 2>&1 | head -2 | tail -1)"
    echo "1-min load average during the run (every 10 s): $(sort -n "$out/jmh-load.txt" \
        | awk '{a[NR]=$1} END {if (NR) printf "min %s, median %s, max %s over %d samples", a[1], a[int((NR+1)/2)], a[NR], NR}')"
} > "$out/jmh-environment.txt"

{
    cat "$out/jmh-environment.txt"
    echo
    "$java" -cp "$out/benchmarks.jar" dev.webhookfilter.benchmarks.RatioTable "$out/jmh-result.json" "$out/jmh-schemes.json"
    "$java" -cp "$out/benchmarks.jar" dev.webhookfilter.benchmarks.RatioTable --sdks "$out/jmh-sdks.json"
} > "$out/jmh-tables.md"
cat "$out/jmh-tables.md"
