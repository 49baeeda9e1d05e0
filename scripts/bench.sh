#!/usr/bin/env bash
# Reproduce docs/performance.md: each benchmark on SQLite, then on PostgreSQL (needs a local
# PostgreSQL with the `xiezhi` role, as scripts/test.sh sets up; the database xz_bench is recreated
# before every PostgreSQL run).
#
#   scripts/bench.sh                  # platform, intake and relay
#   scripts/bench.sh intake           # only the clue intake benchmark (issue 3)
#
# The server under test is pinned with `taskset -c $XIEZHI_BENCH_CPUS` (default 0,1). Run on a quiet
# machine: a build or test run in parallel halves the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(platform intake relay)
nproc; grep -m1 "model name" /proc/cpuinfo || true
cat /proc/loadavg
cargo bench -q -p xiezhi-server --no-run "${benches[@]/#/--bench=}" 2>/dev/null
recreate_db() {
  su postgres -c "psql -qc 'DROP DATABASE IF EXISTS xz_bench'" >/dev/null
  su postgres -c "psql -qc 'CREATE DATABASE xz_bench OWNER xiezhi'" >/dev/null
  # The intake bench checkpoints after its bulk load so the checkpoint does not overlap the load.
  su postgres -c "psql -qc 'GRANT pg_checkpoint TO xiezhi'" >/dev/null
}
for bench in "${benches[@]}"; do
  echo "## $bench: SQLite"
  cargo bench -q -p xiezhi-server --bench "$bench" 2>/dev/null
  echo "## $bench: PostgreSQL"
  recreate_db
  XIEZHI_BENCH_DATABASE_URL=postgres://xiezhi:xiezhi@127.0.0.1:5432/xz_bench cargo bench -q -p xiezhi-server --bench "$bench" 2>/dev/null
done
su postgres -c "psql -qc 'DROP DATABASE IF EXISTS xz_bench'" >/dev/null
