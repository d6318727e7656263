#!/usr/bin/env bash
# Builds the benchmarks and runs the configuration of record (2 forks x 5 warm-up + 8 measured
# iterations of 1 s, -prof gc, every benchmark at 0 B, 1 KiB, 64 KiB and 1 MiB), then SchemeBenchmark's
# nine schemes at 1 KiB and 64 KiB with one fork, then the senders' SDKs beside our verify of their schemes at
# 1 KiB: about 50 minutes on 2 cores. Leaves in benchmarks/target/:
#   jmh-result.json   JMH's full result (every iteration of every fork); jmh-schemes.json SchemeBenchmark's;
#                     jmh-sdks.json the SDKs' run
#   jmh-tables.md     the tables of BENCHMARKS.md, printed by RatioTable from that JSON
#   jmh-environment.txt  machine, JDK, and the 1-minute load average sampled during the run
#   jmh-output.txt    what JMH printed; jmh-load.txt the load samples
# A benchmark that fails its input checks stops the run (JMH's -foe), and then no tables are printed.
# Extra arguments go to JMH, to each of the three runs, in place of the script's own value of each option they
# give, e.g. a quick look: benchmarks/run-jmh.sh -f 1 -wi 3 -i 5 -p bodyBytes=1024
set -euo pipefail
cd "$(dirname "$0")/.."
out=benchmarks/target
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

mvn -B -q -pl benchmarks -am -DskipTests package
# What an earlier run left must not pass for this run's.
rm -f "$out"/jmh-result.json "$out"/jmh-schemes.json "$out"/jmh-sdks.json "$out"/jmh-tables.md \
    "$out"/jmh-environment.txt "$out"/jmh-output.txt "$out"/jmh-load.txt

# The machine is recorded with the figures: a loaded machine inflates and spreads them.
(while true; do cut -d' ' -f1 /proc/loadavg; sleep 10; done) > "$out/jmh-load.txt" &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true' EXIT

# The script's own options, each left out where the extra arguments give it: JMH refuses an option or a profiler
# given twice, and runs every value of a parameter given twice. -foe: a benchmark whose set-up or tear-down
# finds it measuring a rejection stops the run, instead of dropping out of the tables unnoticed.
extra=("$@")
default() { # default ARRAY OPTION VALUE [MATCH]: add OPTION VALUE unless an extra OPTION's value starts with MATCH
    local -n into=$1
    local previous='' arg
    for arg in "${extra[@]}"; do
        if [[ $previous == "$2" && $arg == "${4-}"* ]]; then
            return 0
        fi
        previous=$arg
    done
    into+=("$2" "$3")
}
main=(-e SchemeBenchmark -rf json -rff "$out/jmh-result.json")
default main -prof gc gc
default main -foe true
# Nine schemes x three benchmarks: the sizes the targets name, one fork, or the run would take an hour more.
schemes=(SchemeBenchmark -rf json -rff "$out/jmh-schemes.json")
default schemes -p bodyBytes=1024,65536 bodyBytes=
default schemes -f 1
default schemes -prof gc gc
default schemes -foe true
# The senders' SDKs and our verify of their schemes in one run, so that each SDK / ours ratio is of one run.
sdks=('PeerBenchmark\.(stripe|standardWebhooks|svix|slack)$|SchemeBenchmark\.verify$' -rf json -rff "$out/jmh-sdks.json")
default sdks -p bodyBytes=1024 bodyBytes=
default sdks -p scheme=stripe,standard-webhooks,svix,slack scheme=
default sdks -foe true

started=$(date +%s)
"$java" -jar "$out/benchmarks.jar" "${main[@]}" "$@" | tee "$out/jmh-output.txt"
"$java" -jar "$out/benchmarks.jar" "${schemes[@]}" "$@" | tee -a "$out/jmh-output.txt"
"$java" -jar "$out/benchmarks.jar" "${sdks[@]}" "$@" | tee -a "$out/jmh-output.txt"
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
