#!/usr/bin/env bash
# Sets up what is missing and runs the service on http://127.0.0.1:8080 (Ctrl-C stops it; data stays in .data/).
#
# Models, in order of preference:
#   1. Llm__ModelPath / Embedding__ModelPath when set;
#   2. real Hugging Face exports in $RAG_MODELS_DIR/{llm,embedding}, fetched earlier by scripts/fetch-models.sh
#      (with $RAG_MODELS_DIR/reranker, when fetched, as Reranker__ModelPath);
#   3. untrained demo models generated offline by tools/ModelForge into $RAG_MODELS_DIR/demo-{llm,embedding}
#      (the log and the web page say so).
# RAG_MODELS_DIR defaults to .data/models (relative to the checkout), as in scripts/fetch-models.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
source scripts/dotnet-env.sh

models="${RAG_MODELS_DIR:-.data/models}"
[[ "$models" == /* ]] || models="$PWD/$models"
if [ -z "${Llm__ModelPath:-}" ]; then
  if [ -d "$models/llm" ]; then export Llm__ModelPath="$models/llm"; else export Llm__ModelPath="$models/demo-llm"; fi
fi
if [ -z "${Embedding__ModelPath:-}" ]; then
  if [ -d "$models/embedding" ]; then export Embedding__ModelPath="$models/embedding"; else export Embedding__ModelPath="$models/demo-embedding"; fi
fi
if [ -z "${Reranker__ModelPath:-}" ] && [ -d "$models/reranker" ]; then export Reranker__ModelPath="$models/reranker"; fi

# Demo vectors and real ones never share a database: their dimensions differ, and demo answers are noise.
if [[ "$Llm__ModelPath" == */demo-llm || "$Embedding__ModelPath" == */demo-embedding ]]; then
  demo=true
  export RAG_PG_DATABASE="${RAG_PG_DATABASE:-rag_demo}"
fi

bash scripts/postgres.sh start
export ConnectionStrings__Postgres="${ConnectionStrings__Postgres:-$(bash scripts/postgres.sh url)}"

# forge KIND OUT ARGS...: generates into a scratch folder and moves it into place, so an interrupted run leaves no half model.
forge() {
  local kind="$1" out="$2"; shift 2
  rm -rf "$out.partial"
  dotnet run --project tools/ModelForge -c Release -- "$kind" "$@" --out "$out.partial"
  mv "$out.partial" "$out"
}
if [[ "$Llm__ModelPath" == */demo-llm ]] && [ ! -d "$Llm__ModelPath" ]; then
  echo "[run] generating the demo LLM (untrained, seeded random weights) in $Llm__ModelPath"
  forge decoder "$Llm__ModelPath" --preset demo --layout optimum --seed 1
fi
if [[ "$Embedding__ModelPath" == */demo-embedding ]] && [ ! -d "$Embedding__ModelPath" ]; then
  echo "[run] generating the demo embedding model (lexical encoder) in $Embedding__ModelPath"
  forge encoder "$Embedding__ModelPath" --preset minilm-l6 --lexical --seed 1
fi

if [ -n "${demo:-}" ]; then
  # Drives the start-up warning, the web page's banner and the `demo` flag in GET /v1/models.
  export Api__DemoModels=true
  # The demo encoder's vectors only follow shared words, so related passages score lower than with a trained model.
  export Retrieval__MinRelevance="${Retrieval__MinRelevance:-0.1}"
fi

urls="${Urls:-http://127.0.0.1:8080}"
echo "[run] starting the service on $urls"
exec dotnet run --project src/Api -c Release --no-launch-profile -- --urls "$urls"
