# shellcheck shell=bash
# Shared by backup.sh and restore.sh (sourced, not run): the portal's connection settings, the
# PostgreSQL client tools, and the check that the client and the server are the same major version.

die() {
  printf '%s: %s\n' "$(basename "$0")" "$*" >&2
  exit 1
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
[[ -x "$PYTHON" ]] || die "no Python at $PYTHON (run make install, or set PYTHON)"

# PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE and MEDIA_ROOT, from the portal's own settings.
portal_env=$("$PYTHON" "$ROOT/scripts/portal_env.py") || {
  eval "$portal_env"
  die "backup and restore need the portal's PostgreSQL database (set DATABASE_URL)"
}
eval "$portal_env"

# PG_BINDIR picks the client tools of one PostgreSQL version (e.g. /usr/lib/postgresql/16/bin).
pg() {
  local tool=$1
  shift
  "${PG_BINDIR:+$PG_BINDIR/}$tool" "$@"
}

# The first number of "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)".
client_major() {
  local version
  version=$(pg "$1" --version) || die "$1 is missing: install postgresql-client (or set PG_BINDIR)"
  [[ "$version" =~ \)\ ([0-9]+) ]] || die "cannot read the version of $1: $version"
  echo "${BASH_REMATCH[1]}"
}

# server_major [DATABASE]: the server's major version (15 from server_version_num 150020).
server_major() {
  local number
  number=$(pg psql -X -A -t -q -v ON_ERROR_STOP=1 -d "${1:-$PGDATABASE}" -c "SHOW server_version_num") ||
    die "cannot reach PostgreSQL at ${PGHOST:-local socket}:${PGPORT:-5432} as ${PGUSER:-$USER}"
  echo $((number / 10000))
}

# require_matching_client TOOL [DATABASE]: pg_dump refuses a newer server, and a newer pg_dump
# writes archives an older pg_restore cannot read; one major version on both sides avoids both.
require_matching_client() {
  local tool=$1 client server
  client=$(client_major "$tool")
  server=$(server_major "${2:-}")
  if [[ "$client" != "$server" ]]; then
    die "$tool is PostgreSQL $client but the server is PostgreSQL $server. Install the matching client" \
      "(apt-get install postgresql-client-$server) or point PG_BINDIR at it" \
      "(e.g. PG_BINDIR=/usr/lib/postgresql/$server/bin), then run again."
  fi
  echo "$client"
}

# Rows per table of every table in the database's own schemas, as "schema.table<TAB>rows".
ROW_COUNTS_SQL="
SELECT format('%s.%s', table_schema, table_name),
       (xpath('/row/c/text()',
              query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text
FROM information_schema.tables
WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1"

row_counts() {
  pg psql -X -A -t -q -F $'\t' -v ON_ERROR_STOP=1 -d "${1:-$PGDATABASE}" -c "$ROW_COUNTS_SQL"
}
