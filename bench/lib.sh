# Shared pieces of the bench scripts (sourced, not run): logging, wrk runs and their figures,
# process figures, Debian tools installed on demand, and a throwaway PostgreSQL server.
# The sourcing script sets `root` (the repository) and `work` (bench/.work) before sourcing.

log() { echo "bench: $*" >&2; }
# build_jeton: builds target/jeton.jar when the sources are newer than it (the launcher's own rule: pom.xml, src/main,
# patches) and trains its start-up cache, before anything is timed. No script has a switch to skip it: a jar that is
# up to date is not rebuilt, and one that is not would measure other code than the checkout's.
build_jeton() { ./jeton --version >/dev/null; }
now_ms() { date +%s%3N; }
rss_mib() { awk '/VmHWM/ {printf "%d", $2/1024}' "/proc/$1/status"; }
rss_now_mib() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$1/status"; }
b64() { printf '%s' "$1" | base64 -w0; }

# need_tool COMMAND DEBIAN_PACKAGE: installs the package once when the command is missing.
need_tool() {
  command -v "$1" >/dev/null && return 0
  log "installing $2"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null || { log "could not install $2"; return 1; }
}

to_ms() { # wrk prints 1.23ms, 456.00us, 1.02s
  case "$1" in
    *us) awk -v v="${1%us}" 'BEGIN {printf "%.3f", v/1000}' ;;
    *ms) awk -v v="${1%ms}" 'BEGIN {printf "%.3f", v}' ;;
    *s) awk -v v="${1%s}" 'BEGIN {printf "%.3f", v*1000}' ;;
    *) echo 0 ;;
  esac
}

# wrk_run URL LUA ARGS... -> prints "rps p50_ms p99_ms non2xx"; duration ${dur}s, ${CONNS:-32} connections.
wrk_run() {
  local url=$1 script=$2; shift 2
  local out
  out=$(wrk -t2 -c"${CONNS:-32}" -d"${dur}s" --timeout 30s --latency -s "$script" "$url" -- "$@")
  local rps p50 p99 bad
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  bad=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  if [ -n "$bad" ]; then log "warning: non-2xx answers: $bad"; fi
  echo "$rps $(to_ms "$p50") $(to_ms "$p99") ${bad:-0}"
}
# open_chains FILE TOKEN_URL AUTH_HEADER COUNT: COUNT password logins of the bench user (bench/bench-password), one
# refresh token per line of FILE, for chain_wrk, and one more: lua/refresh_chain.lua says why. printf adds the
# newline that the JSON answers lack.
open_chains() {
  local file=$1 url=$2 auth=$3 count=$4 _
  : > "$file"
  for _ in $(seq $(( count + 1 ))); do
    printf '%s\n' "$(curl -sf -H "Authorization: $auth" -d grant_type=password -d username=bench -d password=bench-password "$url" \
      | sed -n 's/.*"refresh_token":"\([^"]*\)".*/\1/p')" >> "$file"
  done
}
# chain_wrk URL FILE AUTH_HEADER SECONDS [WRK_OPTION...]: refresh rotation of the chains open_chains wrote to FILE,
# one connection per chain over two wrk threads (lua/refresh_chain.lua); prints wrk's output with chain_failures.
chain_wrk() {
  local url=$1 file=$2 auth=$3 secs=$4 chains; shift 4
  chains=$(( $(wc -l < "$file") - 1 ))
  wrk -t2 -c"$chains" -d"${secs}s" --timeout 30s "$@" -s "$root/bench/lua/refresh_chain.lua" "$url" -- "$file" "$auth" 2
}
warmup() { local url=$1 script=$2; shift 2; wrk -t2 -c"${CONNS:-32}" -d"${warm}s" --timeout 30s -s "$script" "$url" -- "$@" >/dev/null; }

# start_postgres DIR PORT: Debian's PostgreSQL server in DIR (created fresh), listening on loopback PORT,
# at its defaults (durable: fsync and synchronous_commit on). Sets pg_dir/pg_port; stop_postgres stops it.
# The server refuses to run as root, so it runs as the `postgres` account the Debian package creates.
start_postgres() {
  pg_dir=$1; pg_port=$2
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ]; then need_tool psql postgresql; bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1); fi
  pg_bin=$bin
  local as=()
  [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
  rm -rf "$pg_dir"; mkdir -p "$pg_dir"
  [ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
  "${as[@]}" "$bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$pg_dir -c max_connections=200" start >/dev/null
  pg_as=("${as[@]}")
}
stop_postgres() { [ -n "${pg_dir:-}" ] && "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true; }
restart_postgres() { "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -m fast -w restart >/dev/null; }
# psql_run DB SQL: runs SQL against the throwaway server.
psql_run() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -d "$1" -Atqc "$2"; }

# --- pgpair
# enable_pg_stat_statements: after start_postgres, loads pg_stat_statements (statements per request) and logs
# lock waits longer than deadlock_timeout (1 s), then restarts the server. Durability settings are untouched.
enable_pg_stat_statements() {
  printf "shared_preload_libraries = 'pg_stat_statements'\nlog_lock_waits = on\npg_stat_statements.track = all\n" \
    >> "$pg_dir/data/postgresql.conf"
  restart_postgres
}
# pg_counts_reset: zeroes the statement, database and WAL counters read by pg_counts_read (database jeton).
pg_counts_reset() {
  psql_run jeton "SELECT pg_stat_statements_reset()" >/dev/null
  psql_run jeton "SELECT pg_stat_reset()" >/dev/null
  psql_run jeton "SELECT pg_stat_reset_shared('wal')" >/dev/null
  pg_lock_waits_before=$(grep -c 'still waiting for' "$pg_dir/server.log" || true)
}
# pg_counts_read N: Markdown lines of what the database did per request since pg_counts_reset, N requests:
# statements (each a round trip), commits, WAL syncs (fsyncs), and lock waits over 1 s.
pg_counts_read() {
  local n=$1
  [ "$n" -gt 0 ] || { echo "(no requests)"; return; }
  echo "| statement | per request | mean ms |"
  echo "|---|---:|---:|"
  psql_run jeton "SELECT '| \`' || left(regexp_replace(query, '\s+', ' ', 'g'), 110) || '\` | ' || round(calls::numeric / $n, 2) || ' | '
      || round(mean_exec_time::numeric, 3) || ' |'
    FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'jeton') AND calls::numeric / $n >= 0.01
    ORDER BY calls DESC LIMIT 12"
  local commits rollbacks syncs statements
  commits=$(psql_run jeton "SELECT xact_commit FROM pg_stat_database WHERE datname = 'jeton'")
  rollbacks=$(psql_run jeton "SELECT xact_rollback FROM pg_stat_database WHERE datname = 'jeton'")
  syncs=$(psql_run jeton "SELECT wal_sync FROM pg_stat_wal")
  statements=$(psql_run jeton "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'jeton')")
  echo
  awk -v n="$n" -v s="$statements" -v c="$commits" -v r="$rollbacks" -v w="$syncs" \
    'BEGIN {printf "Per request: %.2f statements, %.2f commits, %.2f rollbacks, %.3f WAL syncs (fsync).", s/n, c/n, r/n, w/n}'
  echo " Lock waits over 1 s: $(( $(grep -c 'still waiting for' "$pg_dir/server.log" || true) - pg_lock_waits_before ))."
}
# pg_counts_per N: "statements commits wal_syncs" per request since pg_counts_reset, N requests.
pg_counts_per() {
  psql_run jeton "SELECT round((SELECT coalesce(sum(calls), 0) FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'jeton'))::numeric / $1, 2),
    round((SELECT xact_commit FROM pg_stat_database WHERE datname = 'jeton')::numeric / $1, 2),
    round((SELECT wal_sync FROM pg_stat_wal)::numeric / $1, 3)" | tr '|' ' '
}
# start_jeton_on_postgres DATA_DIR PORT STORE_URL MASTER_KEY_FILE: one Jeton instance on a shared PostgreSQL
# store, in the background, IMDS listener off, access log off; sets jeton_pid (the JVM: ./jeton execs java).
# Every instance of one store must share its master key and issuer. JETON_LAUNCHER runs another build (an A/B).
start_jeton_on_postgres() {
  mkdir -p "$1"
  JETON_ACCESS_LOG=false JETON_MASTER_KEY_FILE="$4" JETON_ISSUER="${JETON_ISSUER:-http://jeton.bench}" \
    "${JETON_LAUNCHER:-./jeton}" serve --data-dir "$1" --store "$3" --port "$2" --imds-port -1 > "$1/serve.out" 2> "$1/serve.err" &
  jeton_pid=$!
}
# free_port: a loopback TCP port nobody listens on now (other benches may run on this machine at the same time).
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
