#!/usr/bin/env bash
# The release check: deploys the whole reactor twice, each time from its own copy of the sources into
# its own file repository (target/release-check/repo-1 and repo-2), as `mvn deploy` to Maven Central
# would, then checks what landed (scripts/CheckRelease.java): every published module's jar with its
# Automatic-Module-Name, -sources.jar, -javadoc.jar, CycloneDX SBOM and a pom with the metadata Central
# requires and the run-time dependencies it is meant to pass on; nothing deployed that is not meant to be; and
# the two builds byte-identical (SHA-256).
#
# Tests are skipped here (mvn -B verify runs them); so are PIT and the ITs, which skipTests skips, and
# maven.test.skip does not even compile the tests. Nothing is installed into ~/.m2: dependencies are
# read from it, the artifacts go only to the two file repositories.
#
#   bash scripts/check-release.sh        # exits 0, or 1 naming every problem
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/target/release-check
rm -rf "$out"
mkdir -p "$out"
start=$SECONDS

# The sources as a fresh clone has them (tracked files, plus new ones not yet committed and not ignored).
copy_sources() {
  mkdir -p "$1"
  if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$root" ls-files -z --cached --others --exclude-standard \
      | (cd "$root" && xargs -0 tar -cf - --ignore-failed-read 2>/dev/null) | tar -xf - -C "$1"
  else
    tar -cf - --exclude=./target --exclude='*/target' . | tar -xf - -C "$1"
  fi
}

for n in 1 2; do
  src=$out/src-$n
  copy_sources "$src"
  echo "release check: build $n of 2 (mvn deploy into target/release-check/repo-$n)..."
  t=$SECONDS
  # mdep.skip: the ITs' distribution unpacking and WAR copying, which only the skipped ITs use.
  if ! mvn -B -f "$src/pom.xml" deploy \
        -DskipTests -Dmaven.test.skip=true -Dmdep.skip=true \
        -DaltDeploymentRepository="release-check::file://$out/repo-$n" \
        >"$out/build-$n.log" 2>&1; then
    echo "RELEASE CHECK FAILED: build $n failed; the end of target/release-check/build-$n.log:" >&2
    grep -E '^\[(ERROR|WARNING)\]' "$out/build-$n.log" | tail -40 >&2 || tail -40 "$out/build-$n.log" >&2
    exit 1
  fi
  echo "  done in $((SECONDS - t)) s"
done

java "$root/scripts/CheckRelease.java" "$root" "$out/repo-1" "$out/repo-2"
echo "release check: $((SECONDS - start)) s in all"
