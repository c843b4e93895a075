#!/usr/bin/env bash
# Downloads real Hugging Face ONNX exports into .data/models/{embedding,llm}; ./run.sh prefers them over demo models.
#   RAG_EMBEDDING_REPO (default sentence-transformers/all-MiniLM-L6-v2)
#   RAG_LLM_REPO       (default HuggingFaceTB/SmolLM2-360M-Instruct, Optimum/transformers.js layout under onnx/)
#   HF_ENDPOINT        (default https://huggingface.co), HF_TOKEN for gated models such as Llama 3
# Needs a network: without one it says so and changes nothing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

endpoint="${HF_ENDPOINT:-https://huggingface.co}"
embedding_repo="${RAG_EMBEDDING_REPO:-sentence-transformers/all-MiniLM-L6-v2}"
llm_repo="${RAG_LLM_REPO:-HuggingFaceTB/SmolLM2-360M-Instruct}"
models=".data/models"

auth=()
[ -n "${HF_TOKEN:-}" ] && auth=(-H "Authorization: Bearer $HF_TOKEN")

if ! curl -fsS -o /dev/null --max-time 15 "${auth[@]}" "$endpoint/api/models/$embedding_repo"; then
  echo "Cannot reach $endpoint: fetching real models needs a network." >&2
  echo "Without one, ./run.sh generates untrained demo models offline (tools/ModelForge)." >&2
  exit 1
fi

# fetch REPO DEST FILE [optional]: one file from the repo's main revision into DEST, resumable.
fetch() {
  local repo="$1" dest="$2" file="$3" optional="${4:-}"
  mkdir -p "$dest/$(dirname "$file")"
  if curl -fL --retry 3 -C - "${auth[@]}" -o "$dest/$file.part" "$endpoint/$repo/resolve/main/$file"; then
    mv "$dest/$file.part" "$dest/$file"
  else
    rm -f "$dest/$file.part"
    [ -n "$optional" ] || { echo "failed to download $repo/$file" >&2; exit 1; }
  fi
}

# Downloads into a staging folder and swaps it in only when complete, so a failure leaves no half model behind.
download() {
  local repo="$1" name="$2"; shift 2
  local staging="$models/.$name.partial"
  rm -rf "$staging"
  for spec in "$@"; do
    fetch "$repo" "$staging" ${spec/\?/ optional}
  done
  rm -rf "${models:?}/$name"
  mv "$staging" "$models/$name"
  echo "$repo -> $models/$name"
}

download "$embedding_repo" embedding \
  config.json tokenizer.json tokenizer_config.json vocab.txt special_tokens_map.json? \
  sentence_bert_config.json modules.json 1_Pooling/config.json onnx/model.onnx

download "$llm_repo" llm \
  config.json generation_config.json tokenizer.json tokenizer_config.json special_tokens_map.json? \
  vocab.json? merges.txt? onnx/model.onnx onnx/model.onnx_data?

echo "Done. ./run.sh now uses the models in $models."
