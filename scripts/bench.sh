#!/usr/bin/env bash
# Reproduce docs/performance.md: the platform load benchmark on SQLite, then on PostgreSQL
# (needs a local PostgreSQL with the `xiezhi` role, as scripts/test.sh sets up).
set -euo pipefail
cd "$(dirname "$0")/.."
nproc; grep -m1 "model name" /proc/cpuinfo || true
echo "## SQLite"
cargo bench -q -p xiezhi-server --bench platform 2>/dev/null
echo "## PostgreSQL"
su postgres -c "psql -qc 'DROP DATABASE IF EXISTS xz_bench'" >/dev/null
su postgres -c "psql -qc 'CREATE DATABASE xz_bench OWNER xiezhi'" >/dev/null
XIEZHI_BENCH_DATABASE_URL=postgres://xiezhi:xiezhi@127.0.0.1:5432/xz_bench cargo bench -q -p xiezhi-server --bench platform 2>/dev/null
