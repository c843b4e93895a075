#!/usr/bin/env bash
# Every test of the solution against the real PostgreSQL + pgvector and generated ONNX models.
# Ends with one line "N passed, N failed, N skipped" counted from the TRX results; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
source scripts/dotnet-env.sh

bash scripts/postgres.sh start || { echo "PostgreSQL set-up failed"; echo "0 passed, 1 failed"; exit 1; }
bash scripts/browser.sh || { echo "Chromium set-up failed"; echo "0 passed, 1 failed"; exit 1; }

results=".data/test-results"
rm -rf "$results"
dotnet test Rag.slnx --logger trx --results-directory "$results" "$@"
status=$?

bash scripts/trx-summary.sh "$results"
summary_status=$?
[ $status -eq 0 ] && [ $summary_status -eq 0 ]
