#!/usr/bin/env bash
# Sets up what is missing and runs the service on http://127.0.0.1:8080 (Ctrl-C stops it; data stays in .data/).
#
# Models, in order of preference:
#   1. Llm__ModelPath / Embedding__ModelPath when set;
#   2. real Hugging Face exports in .data/models/{llm,embedding}, fetched earlier by scripts/fetch-models.sh;
#   3. untrained demo models generated offline by tools/ModelForge (the log and the web page say so).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
source scripts/dotnet-env.sh

bash scripts/postgres.sh start
export ConnectionStrings__Postgres="${ConnectionStrings__Postgres:-$(bash scripts/postgres.sh url)}"

models=".data/models"
if [ -z "${Llm__ModelPath:-}" ]; then
  if [ -d "$models/llm" ]; then export Llm__ModelPath="$PWD/$models/llm"; else export Llm__ModelPath="$PWD/$models/demo-llm"; fi
fi
if [ -z "${Embedding__ModelPath:-}" ]; then
  if [ -d "$models/embedding" ]; then export Embedding__ModelPath="$PWD/$models/embedding"; else export Embedding__ModelPath="$PWD/$models/demo-embedding"; fi
fi

forge() { dotnet run --project tools/ModelForge -c Release -- "$@"; }
if [[ "$Llm__ModelPath" == */demo-llm ]] && [ ! -f "$Llm__ModelPath/config.json" ]; then
  echo "[run] generating the demo LLM (untrained, seeded random weights) in $Llm__ModelPath"
  forge decoder --preset tiny --layout optimum --seed 1 --out "$Llm__ModelPath"
fi
if [[ "$Embedding__ModelPath" == */demo-embedding ]] && [ ! -f "$Embedding__ModelPath/config.json" ]; then
  echo "[run] generating the demo embedding model (lexical encoder) in $Embedding__ModelPath"
  forge encoder --preset tiny --lexical --seed 1 --out "$Embedding__ModelPath"
fi

if [[ "$Llm__ModelPath" == */demo-llm || "$Embedding__ModelPath" == */demo-embedding ]]; then
  # Drives the start-up warning, the web page's banner and the `demo` flag in GET /v1/models.
  export Api__DemoModels=true
fi

urls="${Urls:-http://127.0.0.1:8080}"
echo "[run] starting the service on $urls"
exec dotnet run --project src/Api -c Release --no-launch-profile -- --urls "$urls"
