#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine with Rust and Node (run as root or with sudo for
# the system packages): installs what it needs, starts PostgreSQL, then runs
#   formatting and lint checks, front-end type check, unit tests and build,
#   the Rust suite against SQLite and again against PostgreSQL,
#   black-box tests of the intake API written from docs/intake-standard.md (incl. kill -9),
#   the province relay under kill -9 against `xiezhi sim province`,
#   browser tests in headless Chromium against the real server with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

step() { printf '\n==> %s\n' "$*"; }
# Run a shell command as the postgres system user.
as_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres bash -c "$1"; fi; }

# ---- system packages -------------------------------------------------------------------------
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy" || need+=(fonts-wqy-zenhei)
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  step "installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# ---- PostgreSQL ---------------------------------------------------------------------------------
step "starting PostgreSQL"
PGVER=$(ls /etc/postgresql | sort -V | tail -n 1)
$SUDO pg_ctlcluster "$PGVER" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  as_pg "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
  sleep 1
done
as_pg "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='xiezhi'\"" | grep -q 1 \
  || as_pg "psql -qc \"CREATE ROLE xiezhi LOGIN SUPERUSER PASSWORD 'xiezhi'\""
# Databases left behind by earlier runs.
for db in $(as_pg "psql -qtAc \"SELECT datname FROM pg_database WHERE datname LIKE 'xz_%'\""); do
  as_pg "psql -qc 'DROP DATABASE IF EXISTS \"$db\"'" >/dev/null
done
export XIEZHI_PG_URL="postgres://xiezhi:xiezhi@127.0.0.1:5432/postgres"

# ---- front end ------------------------------------------------------------------------------------
step "front end: install, type check, unit tests, build"
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run -s typecheck && npm run -s test:unit && npm run -s build)

# ---- Rust -------------------------------------------------------------------------------------------
step "rust: fmt, clippy, build"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -q -- -D warnings
cargo build --workspace -q

run_rust_tests() {
  if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace --no-fail-fast "$@"
  else
    cargo test --workspace --no-fail-fast "$@"
  fi
}
step "rust tests on SQLite"
env -u XIEZHI_TEST_DATABASE_URL bash -c "$(declare -f run_rust_tests); run_rust_tests"
step "rust tests on PostgreSQL"
XIEZHI_TEST_DATABASE_URL="$XIEZHI_PG_URL" run_rust_tests

# ---- black-box intake tests --------------------------------------------------------------------
step "intake API against docs/intake-standard.md (real HTTP, kill -9 durability)"
XIEZHI_BIN="$ROOT/target/debug/xiezhi" python3 tests/blackbox/intake_test.py
step "deliveries to the province simulator survive kill -9 (two programs, real HTTP)"
XIEZHI_BIN="$ROOT/target/debug/xiezhi" python3 tests/blackbox/province_kill_test.py

# ---- browser tests ----------------------------------------------------------------------------------
step "browser tests (headless Chromium)"
E2E_DIR=$(mktemp -d)
./target/debug/xiezhi seed-demo --data-dir "$E2E_DIR" --cases 2000 >/dev/null
./target/debug/xiezhi serve --data-dir "$E2E_DIR" --listen 127.0.0.1:0 >"$E2E_DIR/serve.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true' EXIT
URL=""
for _ in $(seq 1 100); do
  URL=$(grep -o 'http://127.0.0.1:[0-9]*/' "$E2E_DIR/serve.log" | head -n 1 || true)
  [ -n "$URL" ] && break
  sleep 0.1
done
[ -n "$URL" ] || { cat "$E2E_DIR/serve.log"; exit 1; }
(cd web && XIEZHI_URL="$URL" XIEZHI_DATA_DIR="$E2E_DIR" XIEZHI_BIN="$ROOT/target/debug/xiezhi" node --test --test-concurrency=1 e2e/)
kill $SERVER_PID 2>/dev/null || true
echo
echo "all checks passed"
