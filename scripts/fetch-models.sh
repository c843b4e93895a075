#!/usr/bin/env bash
# Downloads real Hugging Face ONNX exports into $RAG_MODELS_DIR/{embedding,llm}; ./run.sh prefers them over demo models.
#   RAG_MODELS_DIR     (default .data/models, relative to the checkout; ./run.sh reads the same variable)
#   RAG_EMBEDDING_REPO (default Snowflake/snowflake-arctic-embed-xs, the embedder ./run.sh unpacks offline: a
#                      sentence-transformers repo with onnx/model.onnx)
#   RAG_LLM_REPO       (default HuggingFaceTB/SmolLM2-360M-Instruct, Optimum/transformers.js layout under onnx/)
#   RAG_RERANKER_REPO  (optional, e.g. Xenova/ms-marco-MiniLM-L-6-v2) a cross-encoder into $RAG_MODELS_DIR/reranker,
#                      which ./run.sh then uses to rerank search results (RAG_RERANKER_ONNX_FILE picks a variant)
#   RAG_EMBEDDING_ONNX_FILE, RAG_LLM_ONNX_FILE
#                      (default onnx/model.onnx) the graph to fetch when a repo offers variants, e.g. onnx/model_q4.onnx
#                      or onnx/model_qint8_avx512.onnx: only that one is downloaded, and the loaders pick a folder's only graph
#   HF_ENDPOINT        (default https://huggingface.co; a mirror serving the same routes works too)
#   HF_TOKEN           for gated models such as Llama 3; unset, the token `huggingface-cli login` saved is used
# Needs a network: without one it says so and changes nothing. Each model comes from one commit (the one main points
# at when the script starts); both are swapped in only when both downloads are complete, and an interrupted download
# resumes when the script is run again and the repos have not moved on.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

endpoint="${HF_ENDPOINT:-https://huggingface.co}"
endpoint="${endpoint%/}"
embedding_repo="${RAG_EMBEDDING_REPO:-Snowflake/snowflake-arctic-embed-xs}"
llm_repo="${RAG_LLM_REPO:-HuggingFaceTB/SmolLM2-360M-Instruct}"
reranker_repo="${RAG_RERANKER_REPO:-}"
embedding_graph="${RAG_EMBEDDING_ONNX_FILE:-onnx/model.onnx}"
reranker_graph="${RAG_RERANKER_ONNX_FILE:-onnx/model.onnx}"
llm_graph="${RAG_LLM_ONNX_FILE:-onnx/model.onnx}"
models="${RAG_MODELS_DIR:-.data/models}"

# Where huggingface_hub keeps the token of `huggingface-cli login`.
token="${HF_TOKEN:-}"
token_file="${HF_TOKEN_PATH:-${HF_HOME:-${HOME:-}/.cache/huggingface}/token}"
if [ -z "$token" ] && [ -r "$token_file" ]; then token="$(<"$token_file")"; fi

# hub CURL-ARGS...: curl with the token as a bearer header, handed over on stdin so it stays out of the process list.
# curl does not forward it when the hub redirects to its CDN's signed URLs.
hub() {
  if [ -n "$token" ]; then
    printf 'header = "Authorization: Bearer %s"\n' "$token" | curl --config - "$@"
  else
    curl "$@"
  fi
}

# probe REPO: the repo's API page, which tells a missing network apart from a gated or missing repo. Prints the commit
# main points at (main when the page does not say), so that all files come from one snapshot.
probe() {
  local answer status
  answer="$(hub -sS -w '\n%{http_code}' --max-time 15 "$endpoint/api/models/$1")" || answer=000
  status="${answer##*$'\n'}"
  case "$status" in
    200)
      answer="$(grep -oE '"sha" *: *"[0-9a-f]{40}"' <<<"$answer" | head -n 1 | grep -oE '[0-9a-f]{40}' || true)"
      echo "${answer:-main}" ;;
    000)
      echo "Cannot reach $endpoint: fetching real models needs a network." >&2
      echo "Without one, ./run.sh generates untrained demo models offline (tools/ModelForge)." >&2
      exit 1 ;;
    *) refused "$1" "$status" ;;
  esac
}

# refused REPO STATUS: the hub's "no" (the model page is public even where the files are gated).
refused() {
  case "$2" in
    401|403|404)
      echo "$endpoint answered $2 for $1: check the name; a gated or private repo needs HF_TOKEN" \
        "(and, for gated models, the licence accepted on the repo's page)." >&2 ;;
    *) echo "$endpoint answered $2 for $1." >&2 ;;
  esac
  exit 1
}

# A progress bar for the large files when someone watches; quiet otherwise.
progress=(-s)
if [ -t 2 ]; then progress=(--progress-bar); fi

# The staging folders of this run; removed on exit unless a download was interrupted and can resume.
staged=()
keep_staged=""
cleanup() { [ -n "$keep_staged" ] || [ ${#staged[@]} -eq 0 ] || rm -rf "${staged[@]}"; }
trap cleanup EXIT
trap 'keep_staged=yes; exit 130' INT TERM

# fetch REPO REVISION DEST FILE [optional]: one file of the repo at REVISION into DEST. A file already complete is kept and
# a partial one resumed, so a second run picks up where a dropped connection stopped. An optional file the repo
# lacks (404) is skipped.
fetch() {
  local repo="$1" revision="$2" dest="$3" file="$4" optional="${5:-}" status rc=0
  [ -f "$dest/$file" ] && return
  mkdir -p "$dest/$(dirname "$file")"
  echo "$repo/$file"
  # A transfer that stalls for a minute counts as dropped, like one that breaks.
  status="$(hub "${progress[@]}" -SL --retry 3 --connect-timeout 15 --speed-limit 1 --speed-time 60 -C - -w '%{http_code}' \
    -o "$dest/$file.part" "$endpoint/$repo/resolve/$revision/$file")" || rc=$?
  # The server ignored the range (curl's 33) or found nothing after it (416): the next run starts the file afresh.
  if [ "$rc" -eq 33 ] || [ "$status" = 416 ]; then rm -f "$dest/$file.part"; status=000; fi
  if [ "$rc" -ne 0 ]; then status=000; fi
  case "$status" in
    200|206) mv "$dest/$file.part" "$dest/$file" ;;
    404)
      rm -f "$dest/$file.part"
      [ -n "$optional" ] || { echo "$repo has no $file (404): it is needed." >&2; exit 1; }
      echo "  not in the repo (optional)" ;;
    000|5*)
      keep_staged=yes
      echo "Downloading $repo/$file failed (${status/#000/no answer}): run the script again to resume." >&2
      exit 1 ;;
    *)
      rm -f "$dest/$file.part"
      refused "$repo/$file" "$status" ;;
  esac
}

# external_data DEST GRAPH: the side files (model.onnx_data, model.onnx_data_1, …) GRAPH names as its weights'
# location, read from the protobuf's strings; exporters split large models over several.
external_data() {
  local base
  base="$(basename "$2")"
  # A string's length byte (below 32 for these names) ends up as the line break before it.
  LC_ALL=C tr -c 'A-Za-z0-9._-' '\n' <"$1/$2" | grep -oE "^${base//./\\.}[._]data(_[0-9]+)?" | sort -u \
    | sed "s|^|$(dirname "$2")/|" || true
}

# stage REPO REVISION NAME GRAPH FILE... (FILE? is optional): downloads into $models/.NAME.partial, then GRAPH and the
# side files it names.
stage() {
  local repo="$1" revision="$2" name="$3" graph="$4"; shift 4
  local staging="$models/.$name.partial" spec
  # Resume only what the same commit of the same repo left behind.
  if [ "$(cat "$staging/.repo" 2>/dev/null)" != "$repo@$revision:$graph" ]; then rm -rf "$staging"; fi
  mkdir -p "$staging"
  echo "$repo@$revision:$graph" >"$staging/.repo"
  staged+=("$staging")
  for spec in "$@"; do
    if [[ "$spec" == *\? ]]; then
      fetch "$repo" "$revision" "$staging" "${spec%\?}" optional
    else
      fetch "$repo" "$revision" "$staging" "$spec"
    fi
  done
  fetch "$repo" "$revision" "$staging" "$graph"
  while read -r spec; do
    fetch "$repo" "$revision" "$staging" "$spec"
  done < <(external_data "$staging" "$graph")
}

# require REPO NAME FORM...: the staged NAME has a tokenizer in one of the FORMs the loaders read (a+b: both files).
require() {
  local repo="$1" name="$2" form file found; shift 2
  for form in "$@"; do
    found=yes
    for file in ${form//+/ }; do [ -f "$models/.$name.partial/$file" ] || found=""; done
    [ -z "$found" ] || return 0
  done
  echo "$repo has no tokenizer: expected one of $*." >&2
  exit 1
}

# A failed probe exits its command substitution, and the failed assignment then stops the script.
embedding_revision="$(probe "$embedding_repo")"
llm_revision="$(probe "$llm_repo")"
names=(embedding llm)
if [ -n "$reranker_repo" ]; then
  reranker_revision="$(probe "$reranker_repo")"
  names+=(reranker)
fi

stage "$embedding_repo" "$embedding_revision" embedding "$embedding_graph" \
  config.json tokenizer_config.json tokenizer.json? vocab.txt? special_tokens_map.json? \
  sentence_bert_config.json modules.json 1_Pooling/config.json config_sentence_transformers.json?
require "$embedding_repo" embedding tokenizer.json vocab.txt

stage "$llm_repo" "$llm_revision" llm "$llm_graph" \
  config.json generation_config.json? tokenizer_config.json tokenizer.json? vocab.json? merges.txt? \
  tokenizer.model? special_tokens_map.json? added_tokens.json? chat_template.jinja? chat_template.json?
require "$llm_repo" llm tokenizer.json vocab.json+merges.txt tokenizer.model

if [ -n "$reranker_repo" ]; then
  stage "$reranker_repo" "$reranker_revision" reranker "$reranker_graph" \
    config.json tokenizer_config.json tokenizer.json? vocab.txt? special_tokens_map.json?
  require "$reranker_repo" reranker tokenizer.json vocab.txt
fi

# Swap them in together, so a failure above leaves the previous models untouched.
for name in "${names[@]}"; do
  rm "$models/.$name.partial/.repo"
  rm -rf "$models/.$name.old"
  if [ -d "$models/$name" ]; then mv "$models/$name" "$models/.$name.old"; fi
  mv "$models/.$name.partial" "$models/$name"
  rm -rf "$models/.$name.old"
done
echo "$embedding_repo -> $models/embedding"
echo "$llm_repo -> $models/llm"
[ -z "$reranker_repo" ] || echo "$reranker_repo -> $models/reranker"
echo "Done. ./run.sh now uses the models in $models."
