#!/usr/bin/env bash
# One request's time to first token over HTTP against a bare ONNX Runtime prefill of the same prompt (issue 13): serves
# the bench's forged smollm2-135m on 127.0.0.1:${RAG_BENCH_PORT:-8094} (PostgreSQL from scripts/postgres.sh, the
# default packaged embedder) and runs `bench/Llm --ttft --url` against it. Prints the bench's JSON.
#   bench/Llm/ttft-http.sh [--layout gqa] [--prompt-tokens N] [--quick]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source scripts/dotnet-env.sh
for project in src/Api bench/Llm tools/ModelProvisioning; do
  dotnet build "$project" -c Release -v quiet -nologo -clp:NoSummary >&2
done
bench=bench/Llm/bin/Release/net10.0/Rag.Llm.Bench.dll
model="$(dotnet "$bench" --forge "$@" | tail -n 1)"
embedder="$(dotnet tools/ModelProvisioning/bin/Release/net10.0/Rag.ModelProvisioning.dll --models-dir .data/models | tail -n 1)"
# A database of its own: each database holds one embedding dimension.
export RAG_PG_DATABASE="${RAG_PG_DATABASE:-rag_bench}"
bash scripts/postgres.sh start >&2
url="http://127.0.0.1:${RAG_BENCH_PORT:-8094}"
ConnectionStrings__Postgres="$(bash scripts/postgres.sh url)" Llm__ModelPath="$model" Embedding__ModelPath="$embedder" \
  Logging__LogLevel__Default=Warning dotnet src/Api/bin/Release/net10.0/Rag.Api.dll --urls "$url" >&2 &
service=$!
trap 'kill $service 2>/dev/null; wait $service 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "$url/health/ready"; do
  kill -0 $service 2>/dev/null || { echo "the service did not start" >&2; exit 1; }
  sleep 1
done
dotnet "$bench" --ttft --url "$url" "$@"
