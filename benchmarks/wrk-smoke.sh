#!/usr/bin/env bash
# Loopback load smoke test: the example WAR's handler with and without WebhookSignatureFilter,
# under wrk, in one embedded Jetty (SmokeServer: /filtered and /unfiltered). A smoke test, not a
# benchmark of record: on 2 cores wrk and the server share the CPUs and run-to-run noise (6-50 %)
# exceeds the filter's cost; JMH (run-jmh.sh) gives the figures of record.
#
# Needs wrk (apt-get update && apt-get install -y wrk), openssl, curl. Traffic stays on 127.0.0.1.
# Usage: benchmarks/wrk-smoke.sh [SECONDS_PER_RUN (10)] [ROUNDS (3)] [BODY_SIZES, each >= 10 ("1024 65536")]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
rounds=${2:-3}
sizes=${3:-"1024 65536"}
secret=whsec_example_development_only    # the example's documented development secret
out=benchmarks/target/wrk-smoke
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

for tool in wrk openssl curl; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get update && apt-get install -y $tool)" >&2; exit 2; }
done

mvn -B -q -pl example-war,benchmarks -am -DskipTests package
rm -rf "$out" && mkdir -p "$out"

WEBHOOK_SECRET=$secret "$java" -cp benchmarks/target/benchmarks.jar dev.webhookfilter.benchmarks.smoke.SmokeServer \
    example-war/target/example-war.war 0 "$out/port" > "$out/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    [[ -s "$out/port" ]] && break
    kill -0 "$server" 2>/dev/null || { cat "$out/server.log" >&2; exit 1; }
    sleep 0.5
done
[[ -s "$out/port" ]] || { echo "the smoke server did not start in 60 s" >&2; exit 1; }
base="http://127.0.0.1:$(cat "$out/port")"

# Signs body||t with the secret, as WebhookSigner does: prints the header value.
sign() {
    local t; t=$(date +%s)
    printf 't=%s,v1=%s' "$t" "$( (cat "$1"; printf '%s' "$t") | openssl dgst -sha256 -hmac "$secret" -binary | base64 -w0)"
}

# One timed wrk run; prints requests/s and mean latency, and fails on any non-2xx answer.
load() {  # variant body_file duration
    local header result
    header=$(sign "$2")
    result=$(wrk -t1 -c8 -d"$3"s --latency -s benchmarks/wrk-post.lua "$base/$1/webhooks/" -- "$2" "$header")
    echo "$result" >> "$out/wrk-$1.log"
    if grep -q "Non-2xx" <<<"$result"; then
        echo "$1: some requests were refused; see $out/wrk-$1.log" >&2
        exit 1
    fi
    printf '%s %s\n' "$(awk '/^Requests\/sec:/ {print $2}' <<<"$result")" \
        "$(awk '$1 == "Latency" {print $2; exit}' <<<"$result")"
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "| Body | Round | Without filter (req/s, mean latency) | With filter (req/s, mean latency) |"
echo "|---:|---:|---:|---:|"
summary=""
for size in $sizes; do
    body="$out/body-$size.json"
    { printf '{"pad":"'; head -c $((size - 10)) /dev/zero | tr '\0' x; printf '"}'; } > "$body"   # JSON, exactly $size bytes
    [[ $(wc -c < "$body") -eq $size ]] || { echo "could not make a $size-byte body" >&2; exit 1; }

    # The filter is really there: a bad signature is refused on /filtered only.
    [[ $(curl -s -o /dev/null -w '%{http_code}' -X POST -H "X-Webhook-Signature: t=1,v1=x" \
          --data-binary @"$body" "$base/filtered/webhooks/") == 401 ]] || { echo "/filtered did not refuse" >&2; exit 1; }
    [[ $(curl -s -o /dev/null -w '%{http_code}' -X POST -H "X-Webhook-Signature: $(sign "$body")" \
          --data-binary @"$body" "$base/filtered/webhooks/") == 200 ]] || { echo "/filtered refused a signed event" >&2; exit 1; }

    load unfiltered "$body" 5 > /dev/null   # warm-up, both
    load filtered "$body" 5 > /dev/null
    : > "$out/rps-unfiltered-$size"; : > "$out/rps-filtered-$size"
    for round in $(seq 1 "$rounds"); do    # alternate, so that drift hits both alike
        read -r u_rps u_lat < <(load unfiltered "$body" "$seconds")
        read -r f_rps f_lat < <(load filtered "$body" "$seconds")
        echo "$u_rps" >> "$out/rps-unfiltered-$size"; echo "$f_rps" >> "$out/rps-filtered-$size"
        echo "| $size B | $round | $u_rps, $u_lat | $f_rps, $f_lat |"
    done
    u=$(median < "$out/rps-unfiltered-$size"); f=$(median < "$out/rps-filtered-$size")
    summary+="$(printf '%s B body: median %s req/s without the filter, %s with it (%s of the unfiltered rate)' \
        "$size" "$u" "$f" "$(awk -v f="$f" -v u="$u" 'BEGIN {printf "%.0f %%", 100 * f / u}')")"$'\n'
done
echo
printf '%s' "$summary"
echo "(1 wrk thread, 8 connections, ${seconds} s per run, ${rounds} alternating rounds; load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
