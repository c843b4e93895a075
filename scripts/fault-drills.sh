#!/usr/bin/env bash
# Fault drills against the real service and a real PostgreSQL, from the command line:
#   1. kill -9 of the service while it ingests: a new instance takes the interrupted job over after its lease;
#   2. PostgreSQL stopped and started while the service ingests and searches: 503 + Retry-After meanwhile, then
#      the same process recovers, and the interrupted job goes back to the queue as soon as the database is back;
#   3. SIGTERM while a job is in a long extraction: the job is handed back at once.
# Prints what happened and a JSON summary (status codes, jobs recovered, seconds). Uses a cluster of its own
# (.data/drills, port RAG_PG_PORT+1000) and the untrained demo models, so nothing else is disturbed.
#   RAG_PG_PORT=5543 scripts/fault-drills.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/dotnet-env.sh
: "${RAG_PG_PORT:?export RAG_PG_PORT, the port of this checkout cluster; the drills use RAG_PG_PORT+1000}"

drill_port="${RAG_DRILL_PG_PORT:-$((RAG_PG_PORT + 1000))}"
api_port="${RAG_DRILL_API_PORT:-$((RAG_PG_PORT + 2000))}"
config="${RAG_DRILL_CONFIGURATION:-Debug}"
export RAG_DATA_DIR="$PWD/.data/drills" RAG_PG_PORT="$drill_port" RAG_PG_DATABASE=rag_drills
work="$RAG_DATA_DIR/work"
models="$RAG_DATA_DIR/models"
url="http://127.0.0.1:$api_port"
collection=drills
mkdir -p "$work"

log() { echo "[drills] $*" >&2; }
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
pg() { PGPASSWORD=rag "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql" -h 127.0.0.1 -p "$drill_port" -U rag -d rag_drills -tAqc "$1"; }

# wait_for SECONDS COMMAND...: runs COMMAND every 0.2 s until it succeeds; fails after SECONDS.
wait_for() {
  local limit="$1"; shift
  local deadline=$(( $(date +%s) + limit ))
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || { log "gave up waiting for: $*"; return 1; }
    sleep 0.2
  done
}

# ---- set-up: build, demo models, cluster, documents ------------------------------------------------------------
log "building src/Api and tools/ModelForge ($config)"
dotnet build src/Api -c "$config" -v q -nologo >/dev/null
dotnet build tools/ModelForge -c "$config" -v q -nologo >/dev/null
forge() {
  [ -d "$2" ] && return 0
  rm -rf "$2.partial"
  dotnet "tools/ModelForge/bin/$config/net10.0/Rag.ModelForge.dll" "$1" "${@:3}" --out "$2.partial" >/dev/null
  mv "$2.partial" "$2"
}
forge decoder "$models/llm" --preset demo --layout optimum --seed 1
forge encoder "$models/embedding" --preset minilm-l6 --lexical --seed 1
bash scripts/postgres.sh start
connection="$(bash scripts/postgres.sh url)"

python3 - "$work" <<'PY'
import json, random, sys
work = sys.argv[1]
random.seed(7)
words = "the a cat dog sun rain cold warm soup onion carrot pot oil window garden bird day night road car house tree".split()
def text(n):
    return " ".join(random.choice(words) for _ in range(n))
# Plain text that takes the demo encoder tens of seconds to embed: a job long enough to interrupt.
for i in range(3):
    with open(f"{work}/long-{i}.txt", "w") as f:
        f.write(f"Document {i}.\n\n" + "\n\n".join(text(120) for _ in range(150)))
# HTML whose markup takes seconds to extract and whose text is short: the interruption lands in extraction.
with open(f"{work}/markup.html", "w") as f:
    f.write("<html><body><p>" + text(50) + "</p>" + '<div class="x"><span></span></div>' * 400_000 + "</body></html>")
PY

pid=""
# Whatever happens, the drills leave no service and no cluster running behind them.
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; bash scripts/postgres.sh stop' EXIT
start_service() {
  (cd src/Api && exec env ConnectionStrings__Postgres="$connection" Llm__ModelPath="$models/llm" Embedding__ModelPath="$models/embedding" \
      Api__DemoModels=true Api__SynchronousIngestChunks=0 Api__MaxUploadBytes=67108864 Api__MaxQueuedUploadBytes=33554432 \
      Logging__LogLevel__Default=Warning dotnet "bin/$config/net10.0/Rag.Api.dll" --urls "$url" >>"$work/service.log" 2>&1) &
  pid=$!
  local started; started=$(now)
  wait_for 180 curl -sf -o /dev/null "$url/health/ready"
  log "service $pid ready in $(seconds "$started" "$(now)") s"
}
upload() { curl -s -F "file=@$1" "$url/v1/collections/$collection/documents" | jq -r '.documents[0].id'; }
status_of() { pg "SELECT status || ':' || attempts FROM ingestion_jobs WHERE id = '$1'"; }
processing_job() { pg "SELECT id FROM ingestion_jobs WHERE status = 'processing' ORDER BY updated_at LIMIT 1"; }
has_processing_job() { [ -n "$(processing_job)" ]; }
open_jobs() { pg "SELECT count(*) FROM ingestion_jobs WHERE status IN ('pending', 'processing')"; }
no_open_jobs() { [ "$(open_jobs)" = 0 ]; }
attempt_moved_on() { [ "$(status_of "$1")" != "processing:$2" ]; }
claimed_again() { [ "$(pg "SELECT attempts FROM ingestion_jobs WHERE id = '$1'")" -gt "$2" ]; }
search_code() { curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' -d '{"query":"cat in the garden"}' "$url/v1/collections/$collection/search"; }
search_ok() { [ "$(search_code)" = 200 ]; }
half_written() { pg "SELECT count(*) FROM documents d WHERE d.chunk_count <> (SELECT count(*) FROM chunks c WHERE c.document_id = d.id)"; }

start_service
pg "TRUNCATE ingestion_jobs; DELETE FROM collections"

# ---- 1. kill -9 mid-ingest --------------------------------------------------------------------------------------
log "drill 1: kill -9 while ingesting"
# One job, so the next instance is free to take it over the moment its lease runs out.
upload "$work/long-0.txt" >/dev/null
wait_for 120 has_processing_job
job="$(processing_job)"; attempts="$(pg "SELECT attempts FROM ingestion_jobs WHERE id = '$job'")"
sleep 2
killed_at=$(now)
lease_expired=$(seconds "$killed_at" "$(pg "SELECT extract(epoch FROM lease_until) FROM ingestion_jobs WHERE id = '$job'")")
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
log "killed $pid while job $job (attempt $attempts) was processing"
start_service
wait_for 180 claimed_again "$job" "$attempts"
takeover=$(seconds "$killed_at" "$(now)")
wait_for 900 no_open_jobs
drill1_done=$(seconds "$killed_at" "$(now)")
drill1_completed="$(pg "SELECT count(*) FROM ingestion_jobs WHERE status = 'completed'")"
log "its lease ran out ${lease_expired} s after the kill; the job was taken over ${takeover} s after it (the new instance's start-up included) and ended ${drill1_done} s after it"

# ---- 2. PostgreSQL restart mid-ingest ---------------------------------------------------------------------------
log "drill 2: PostgreSQL stopped for 10 s while ingesting and searching"
for i in 1 2; do upload "$work/long-$i.txt" >/dev/null; done
wait_for 120 has_processing_job
job="$(processing_job)"; attempts="$(pg "SELECT attempts FROM ingestion_jobs WHERE id = '$job'")"
sleep 2
declare -A codes=()
retry_after_missing=0
bash scripts/postgres.sh stop
stopped_at=$(now)
while [ "$(seconds "$stopped_at" "$(now)" | cut -d. -f1)" -lt 10 ]; do
  for request in search upload; do
    if [ "$request" = search ]; then
      headers="$(curl -s -D - -o /dev/null -H 'content-type: application/json' -d '{"query":"cat"}' "$url/v1/collections/$collection/search")"
    else
      headers="$(curl -s -D - -o /dev/null -H 'content-type: application/json' -d '{"name":"short.txt","text":"A short note."}' "$url/v1/collections/$collection/documents")"
    fi
    code="$(head -1 <<<"$headers" | awk '{ print $2 }')"
    codes["$request:$code"]=$(( ${codes["$request:$code"]:-0} + 1 ))
    if [ "$code" = 503 ] && ! grep -qi '^retry-after:' <<<"$headers"; then retry_after_missing=$((retry_after_missing + 1)); fi
  done
  ready_code="$(curl -s -o /dev/null -w '%{http_code}' "$url/health/ready")"
  codes["ready:$ready_code"]=$(( ${codes["ready:$ready_code"]:-0} + 1 ))
  sleep 0.5
done
bash scripts/postgres.sh start
started_at=$(now)
wait_for 120 search_ok
search_back=$(seconds "$started_at" "$(now)")
wait_for 120 attempt_moved_on "$job" "$attempts"
requeued=$(seconds "$started_at" "$(now)")
wait_for 900 no_open_jobs
drill2_done=$(seconds "$started_at" "$(now)")
drill2_job="$(status_of "$job")"
log "search 200 again ${search_back} s after the restart; interrupted job's outcome recorded after ${requeued} s; all jobs ended after ${drill2_done} s"

# ---- 3. SIGTERM during extraction ---------------------------------------------------------------------------------
log "drill 3: SIGTERM while a job is in extraction"
job="$(upload "$work/markup.html")"
is_processing() { [ "$(pg "SELECT status FROM ingestion_jobs WHERE id = '$job'")" = processing ]; }
wait_for 60 is_processing
termed_at=$(now)
kill -TERM "$pid"
is_pending() { [ "$(pg "SELECT status FROM ingestion_jobs WHERE id = '$job'")" = pending ]; }
wait_for 60 is_pending
handed_back=$(seconds "$termed_at" "$(now)")
wait "$pid" 2>/dev/null || true
exited=$(seconds "$termed_at" "$(now)")
start_service
is_done() { [[ "$(status_of "$job")" == completed:* || "$(status_of "$job")" == failed:* ]]; }
wait_for 600 is_done
drill3_job="$(status_of "$job")"
log "job handed back ${handed_back} s after SIGTERM; process exited after ${exited} s; the next instance ended it as ${drill3_job}"
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
pid=""

code_json="$(for k in "${!codes[@]}"; do echo "$k ${codes[$k]}"; done | jq -Rn '[inputs | split(" ") | {(.[0]): (.[1] | tonumber)}] | add')"
jq -n --arg expired "$lease_expired" --arg takeover "$takeover" --arg d1 "$drill1_done" --arg c1 "$drill1_completed" --argjson codes "$code_json" \
  --arg missing "$retry_after_missing" --arg back "$search_back" --arg requeued "$requeued" --arg d2 "$drill2_done" --arg j2 "$drill2_job" \
  --arg handed "$handed_back" --arg exited "$exited" --arg j3 "$drill3_job" --arg half "$(half_written)" '{
  kill9: { lease_expired_seconds_after_kill: ($expired | tonumber), takeover_seconds_after_kill: ($takeover | tonumber), all_jobs_done_seconds: ($d1 | tonumber), jobs_completed: ($c1 | tonumber) },
  postgres_restart: { status_codes_while_down: $codes, "503_without_retry_after": ($missing | tonumber),
                      search_200_seconds_after_start: ($back | tonumber), interrupted_job_recorded_seconds_after_start: ($requeued | tonumber),
                      all_jobs_done_seconds_after_start: ($d2 | tonumber), interrupted_job_final: $j2 },
  sigterm_during_extraction: { handed_back_seconds: ($handed | tonumber), process_exit_seconds: ($exited | tonumber), job_final: $j3 },
  half_written_documents: ($half | tonumber)
}'
