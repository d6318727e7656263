#!/usr/bin/env bash
# Fuzzes each @FuzzTest of dev.webhookfilter.fuzz in turn with Jazzer, for N minutes each: the core's
# (webhook-core) and the form-body decoder's (webhook-filter).
#
#   scripts/fuzz.sh [minutes-per-target] [Class#method ...]
#
# Default: 5 minutes for every target, one at a time (the fuzzer uses one core). Jazzer's growing
# corpus stays in <module>/target/fuzz/.cifuzz-corpus and is reused by the next run; a finding
# (crash-*, timeout-*) is copied into <module>/src/test/resources/dev/webhookfilter/fuzz/<Class>Inputs/
# <method>/, where every ordinary build replays it, and the script exits 1. libFuzzer's closing
# statistics for each target are printed at the end; full logs are in <module>/target/fuzz/<target>.log.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
minutes="${1:-5}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(
    'CheckHeaderFuzzTest#checkHeader_givesTheGrammarsVerdict'
    'VerifyFuzzTest#verify_arbitraryRequest'
    'VerifyFuzzTest#verify_mutatedSignedRequest'
    'SchemeFuzzTest#verify_anySchemeGivesTheReferencesVerdict'
    'FormBodyFuzzTest#decode_givesTheNaivePairs'
  )
fi

# Each target's module, found before any fuzzing starts: a misspelled class stops the script here,
# not after the targets before it have run (a failed lookup inside $(...) does not trip set -e).
modules=()
for target in "${targets[@]}"; do
  class="${target%%#*}"
  if [ "$class" = "$target" ] || [ -z "$class" ] || [ -z "${target##*#}" ]; then
    echo "fuzz.sh: '$target' is not Class#method" >&2
    exit 2
  fi
  sources=("$root"/*/src/test/java/dev/webhookfilter/fuzz/"$class".java)
  if [ ! -f "${sources[0]}" ]; then
    echo "fuzz.sh: no fuzz test class '$class': there is no */src/test/java/dev/webhookfilter/fuzz/$class.java under $root" >&2
    exit 2
  fi
  # The module whose tests hold the target.
  modules+=("${sources[0]%/src/test/java/dev/webhookfilter/fuzz/$class.java}")
done

summary=()
found=0

for i in "${!targets[@]}"; do
  target="${targets[$i]}"
  class="${target%%#*}"
  method="${target##*#}"
  here="${modules[$i]}"
  work="$here/target/fuzz"
  inputs="$here/src/test/resources/dev/webhookfilter/fuzz"
  mkdir -p "$work"
  log="$work/$target.log"
  echo "== fuzzing $target for $minutes min (log: $log)"
  status=0
  mvn -B -q -f "$here/pom.xml" -Pfuzz test -Dtest="$target" -Djazzer.max_duration="${minutes}m" \
    > "$log" 2>&1 || status=$?
  for finding in "$work"/crash-* "$work"/timeout-* "$work"/oom-*; do
    [ -e "$finding" ] || continue
    mkdir -p "$inputs/${class}Inputs/$method"
    mv "$finding" "$inputs/${class}Inputs/$method/"
    echo "   finding kept as $inputs/${class}Inputs/$method/$(basename "$finding")"
    found=1
  done
  if [ "$status" -ne 0 ]; then
    found=1
    grep -E 'FuzzTestFinding|Caused by|ERROR\]' "$log" | head -5 || true
  fi
  done_line="$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)"
  runs="$(grep -E '^Done [0-9]+ runs in' "$log" | tail -1 || true)"
  summary+=("$target: ${done_line:-no DONE line} | ${runs:-no run count} | exit $status")
done

echo
echo "== libFuzzer statistics"
printf '%s\n' "${summary[@]}"
exit "$found"
