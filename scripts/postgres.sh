#!/usr/bin/env bash
# A private PostgreSQL cluster with pgvector for this checkout: start | stop | status | url | delete.
#   data:  $RAG_DATA_DIR/postgres (default .data/postgres), never the system cluster. As root, when the server's
#          OS user cannot reach that folder (a checkout in a mode-0700 home), the cluster lives in
#          /var/lib/rag-postgres/<hash of the data folder> instead and .data/postgres is a symbolic link to it.
#   port:  127.0.0.1:$RAG_PG_PORT (default 5433) when starting; a running cluster keeps the port it started on,
#          and status/url report that one. Database $RAG_PG_DATABASE (default "rag").
# Installs Debian's server if missing and, when the `vector` extension is absent, builds
# pgvector from Debian 13's source package (it is not packaged for Debian 12).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data_dir="${RAG_DATA_DIR:-$root/.data}"
cluster="$data_dir/postgres"
# A link left by an earlier start names where the cluster really is (the server's user cannot follow it).
[ -L "$cluster" ] && cluster="$(readlink -f "$cluster")"
shared_root=/var/lib/rag-postgres
port="${RAG_PG_PORT:-5433}"
db="${RAG_PG_DATABASE:-rag}"
os_user="${RAG_PG_OS_USER:-postgres}"

log() { echo "[postgres] $*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq >&2; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

pg_bin() {
  local major
  major="$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)"
  [ -n "$major" ] && echo "/usr/lib/postgresql/$major/bin"
}

ensure_server() {
  if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
    log "installing Debian's PostgreSQL server"
    apt_install postgresql
  fi
}

ensure_pgvector() {
  local bin sharedir
  bin="$(pg_bin)"
  sharedir="$("$bin/pg_config" --sharedir)"
  [ -f "$sharedir/extension/vector.control" ] && return 0

  local major
  major="$("$bin/pg_config" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')"
  log "building pgvector from Debian 13's source package against postgresql-server-dev-$major"
  apt_install "postgresql-server-dev-$major" build-essential dpkg-dev

  local uri src_list=/etc/apt/sources.list.d/rag-trixie-src.sources
  uri="$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)"
  if [ ! -f "$src_list" ]; then
    printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" \
      | as_root tee "$src_list" >/dev/null
    apt_updated=0
  fi
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq >&2; apt_updated=1; fi

  local build
  build="$(mktemp -d)"
  (cd "$build" && apt-get source -qq pgvector >&2)
  local srcdir
  srcdir="$(find "$build" -maxdepth 1 -mindepth 1 -type d -name 'pgvector-*' | head -1)"
  make -s -C "$srcdir" PG_CONFIG="$bin/pg_config" >&2
  as_root make -s -C "$srcdir" PG_CONFIG="$bin/pg_config" install >&2
  rm -rf "$build"
  [ -f "$sharedir/extension/vector.control" ] || { log "pgvector build did not install vector.control"; exit 1; }
}

# The server refuses to run as root: the cluster belongs to an unprivileged OS user.
# It starts in / because the caller's working directory may be one it cannot enter.
run_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    su -s /bin/bash "$os_user" -c "cd / && $(printf '%q ' "$@")"
  else
    "$@"
  fi
}

is_running() {
  [ -f "$cluster/PG_VERSION" ] && run_as_owner "$(pg_bin)/pg_ctl" -D "$cluster" status >/dev/null 2>&1
}

# The port the running cluster listens on: line 4 of postmaster.pid.
running_port() {
  sed -n 4p "$cluster/postmaster.pid" 2>/dev/null
}

conn_string() {
  if is_running; then port="$(running_port)"; fi
  echo "Host=127.0.0.1;Port=$port;Database=$db;Username=rag;Password=rag"
}

# As root the server runs as $os_user, who may not be able to enter the data folder (a checkout in a mode-0700
# home): then the cluster goes to a folder of its own under $shared_root, named by the data folder's path, with
# a link in the data folder, rather than loosening the permissions of the user's home.
place_cluster() {
  [ "$(id -u)" = 0 ] || return 0
  run_as_owner test -x "$data_dir" && return 0
  local real
  real="$(realpath "$data_dir")"
  cluster="$shared_root/$(printf '%s' "$real" | sha256sum | cut -c1-16)"
  log "$os_user cannot enter $real; keeping the cluster in $cluster"
  mkdir -p "$shared_root"
  chmod 755 "$shared_root"
  [ -d "$data_dir/postgres" ] && [ ! -L "$data_dir/postgres" ] && rmdir "$data_dir/postgres"
  ln -sfn "$cluster" "$data_dir/postgres"
}

start() {
  ensure_server
  ensure_pgvector
  mkdir -p "$data_dir"
  if [ "$(id -u)" = 0 ]; then
    id "$os_user" >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash "$os_user"
  fi
  if [ ! -f "$cluster/PG_VERSION" ]; then
    place_cluster
    # A checkout deleted and cloned again at the same path finds the cluster it had placed there.
    if [ -f "$cluster/PG_VERSION" ]; then
      log "reusing the cluster an earlier checkout at this path left in $cluster (scripts/postgres.sh delete removes it)"
    fi
  fi
  if is_running; then
    local requested="$port"
    port="$(running_port)"
    [ "$requested" = "$port" ] || log "already running on port $port, not $requested: stop it first to change the port"
    ensure_database
    log "already running on 127.0.0.1:$port (data in $cluster)"
    return 0
  fi

  local bin
  bin="$(pg_bin)"
  if [ ! -f "$cluster/PG_VERSION" ]; then
    log "creating a private cluster in $cluster"
    mkdir -p "$cluster"
    [ "$(id -u)" = 0 ] && chown "$os_user" "$cluster"
    chmod 700 "$cluster"
    local pwfile
    pwfile="$(mktemp)"; echo rag > "$pwfile"; chmod 644 "$pwfile"
    run_as_owner "$bin/initdb" -D "$cluster" -U rag --pwfile="$pwfile" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
    cat >> "$cluster/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
shared_buffers = 256MB
maintenance_work_mem = 512MB
fsync = on
CONF
  fi
  # The port may change between runs (RAG_PG_PORT), so it is passed at start, not written into the cluster.
  if ! run_as_owner "$bin/pg_ctl" -D "$cluster" -l "$cluster/server.log" -o "-p $port" -w -t 60 start >/dev/null; then
    log "the server did not start; the end of $cluster/server.log:"
    tail -n 5 "$cluster/server.log" >&2
    exit 1
  fi
  ensure_database
  log "running on 127.0.0.1:$port (database $db, data in $cluster)"
}

ensure_database() {
  local bin
  bin="$(pg_bin)"
  PGPASSWORD=rag "$bin/psql" -h 127.0.0.1 -p "$port" -U rag -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 \
    || PGPASSWORD=rag "$bin/createdb" -h 127.0.0.1 -p "$port" -U rag "$db"
}

stop() {
  if is_running; then run_as_owner "$(pg_bin)/pg_ctl" -D "$cluster" -m fast -w stop >/dev/null; log "stopped"; fi
}

# Stops the cluster and removes its data, including a cluster kept under $shared_root (which deleting the checkout
# would leave behind). Only a folder this script placed there is removed through the link, never another target.
delete() {
  stop
  if [ -L "$data_dir/postgres" ]; then
    case "$cluster" in
      "$shared_root"/*) rm -rf "$cluster" ;;
      *) log "$data_dir/postgres links to $cluster, outside $shared_root: remove it yourself"; exit 1 ;;
    esac
    rm -f "$data_dir/postgres"
  else
    rm -rf "$cluster"
  fi
  log "deleted the cluster of $data_dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if is_running; then echo "running on 127.0.0.1:$(running_port) (data in $cluster)"; else echo "stopped"; exit 3; fi ;;
  url) conn_string ;;
  delete) delete ;;
  *) echo "usage: $0 start|stop|status|url|delete" >&2; exit 2 ;;
esac
