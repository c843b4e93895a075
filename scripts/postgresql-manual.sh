#!/usr/bin/env bash
# Ingests PostgreSQL's HTML manual (Debian package postgresql-doc-15, installed when missing: 1,169 pages) into a
# collection of a running service, for `rag eval` with tools/Eval/golden/postgresql-manual.jsonl.
#   scripts/postgresql-manual.sh [URL] [COLLECTION]      defaults: http://127.0.0.1:8080 pg-manual
# RAG_API_KEY and RAG_INGEST_PARALLEL as in scripts/ingest-folder.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
manual=/usr/share/doc/postgresql-doc-15/html
if [ ! -f "$manual/index.html" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y postgresql-doc-15
fi
exec scripts/ingest-folder.sh "${1:-http://127.0.0.1:8080}" "${2:-pg-manual}" "$manual" '*.html'
