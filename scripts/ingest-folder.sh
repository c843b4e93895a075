#!/usr/bin/env bash
# Uploads every file of a folder into one collection through the HTTP API and reports how long ingestion took.
#   scripts/ingest-folder.sh URL COLLECTION DIR [GLOB]        e.g. http://127.0.0.1:8080 pg-manual /usr/share/doc/postgresql-doc-15/html '*.html'
# RAG_API_KEY: the key to send (Authorization: Bearer); RAG_INGEST_PARALLEL: uploads in flight (default 2).
# Small files answer 201 once stored, large ones 202 and are ingested by the queue; the clock stops when the
# collection has no queued upload left. Prints one JSON line: documents, chunks, seconds, chunks_per_second.
set -euo pipefail
if [ $# -lt 3 ]; then
  sed -n 2,6p "$0" >&2
  exit 2
fi
url="${1%/}" collection="$2" dir="$3" glob="${4:-*}"
parallel="${RAG_INGEST_PARALLEL:-2}"
# Exported, as the uploads run in child shells; ${auth_header:+...} adds the header only when a key is set.
export url collection auth_header="${RAG_API_KEY:+Authorization: Bearer $RAG_API_KEY}"
failures=$(mktemp)
trap 'rm -f "$failures"' EXIT

# counts FIELD: the collection's documents, chunks or queued_jobs (0 before its first upload). Fails, with curl's
# error, when the API does not answer 2xx (down, wrong key), so the script stops rather than wait on no answer.
counts() {
  local body
  body=$(curl -sSf ${auth_header:+-H "$auth_header"} "$url/v1/collections") \
    || { echo "[ingest] cannot read $url/v1/collections" >&2; return 1; }
  python3 -c "import json,sys; c=[x for x in json.load(sys.stdin)['collections'] if x['name']==sys.argv[1]]; print(c[0][sys.argv[2]] if c else 0)" \
    "$collection" "$1" <<< "$body"
}

# upload FILE: posts one file, printing "FILE -> HTTP code" unless accepted. The name is an argument, never shell
# code, and double-quoted for curl's -F (with \ and " escaped), so names with ; , quotes or $ upload as they are.
upload() {
  local name="${1//\\/\\\\}" code
  name="${name//\"/\\\"}"
  code=$(curl -s -o /dev/null -w "%{http_code}" ${auth_header:+-H "$auth_header"} -F "file=@\"$name\"" \
    "$url/v1/collections/$collection/documents")
  case "$code" in 200|201|202) ;; *) printf '%s -> HTTP %s\n' "$1" "$code" ;; esac
}
export -f upload

start=$(date +%s.%N)
find "$dir" -maxdepth 1 -type f -name "$glob" -print0 | sort -z \
  | xargs -0 -n 1 -P "$parallel" bash -c 'upload "$1"' upload >> "$failures"
if [ -s "$failures" ]; then
  echo "[ingest] $(wc -l < "$failures") uploads failed:" >&2
  head -20 "$failures" >&2
fi
# counts runs in plain assignments: there set -e stops the script when it fails (in a test or a loop condition it would not).
while :; do
  queued=$(counts queued_jobs)
  [ "$queued" = 0 ] && break
  sleep 1
done
end=$(date +%s.%N)

documents=$(counts documents)
chunks=$(counts chunks)
python3 - "$documents" "$chunks" "$start" "$end" <<'PY'
import json, sys
documents, chunks, start, end = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
seconds = end - start
print(json.dumps({"documents": documents, "chunks": chunks, "seconds": round(seconds, 1),
                  "chunks_per_second": round(chunks / seconds, 1) if seconds > 0 else None}))
PY
