#!/bin/sh
# Alternate base (/tmp/base) and this tree on one produce-cpu case; prints one JSON line per run.
# usage: scripts/ab.sh RUNS case [partitions] [records] [bytes]
runs=$1; shift
for i in $(seq 1 $runs); do
  printf 'base '; node /tmp/base/scripts/produce-cpu.mjs "$@"
  printf 'new  '; node "$(dirname "$0")/produce-cpu.mjs" "$@"
done
