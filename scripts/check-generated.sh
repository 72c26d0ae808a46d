#!/usr/bin/env bash
# Fails when schema/schema.graphql or the typed test documents are stale against the code.
set -euo pipefail
cd "$(dirname "$0")/.."
node dist/src/main.js schema --check
npx graphql-codegen --config codegen.yml --check
echo "schema/schema.graphql and test/generated are up to date"
