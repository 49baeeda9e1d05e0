#!/usr/bin/env bash
# Regenerate the OpenAPI snapshot and the front end's TypeScript types from the Rust API.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run -q -p xiezhi-server -- openapi > web/openapi.json
(cd web && npx --no-install openapi-typescript ./openapi.json -o src/api/schema.d.ts)
