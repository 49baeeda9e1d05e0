#!/usr/bin/env bash
# Build everything and run the platform with Lishui demo data (release build).
# Prints the URL and the generated demo accounts. Data lives in ./data (delete it to start over).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "==> building the web UI"
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run -s build)
echo "==> building the server (release)"
cargo build --release -q -p xiezhi-server
echo "==> loading demo data"
./target/release/xiezhi seed-demo --data-dir ./data
echo
# The server allocates with mimalloc; SQLite's own allocations still go through glibc's malloc,
# which keeps freed large blocks in its heap unless they are mmapped.
export MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-131072}
exec ./target/release/xiezhi serve --data-dir ./data "$@"
