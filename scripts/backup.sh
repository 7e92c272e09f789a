#!/usr/bin/env bash
# Back up the portal: its PostgreSQL database and its uploaded files (MEDIA_ROOT).
#
#   scripts/backup.sh [BACKUP_DIR]        (make backup BACKUP_DIR=…; default: backups)
#
# Writes BACKUP_DIR/portal-<YYYYmmdd-HHMMSS>/ with
#   db.dump          pg_dump -Fc of the database (one consistent snapshot)
#   media.tar.gz     every uploaded file
#   row-counts.tsv   rows per table in that snapshot; restore.sh checks the restored database against it
#   manifest.txt     when, which database, which server and client versions, how many files
#   SHA256SUMS       checksums of the files above; restore.sh refuses a backup that does not match
# The folder is written as <name>.partial and renamed when complete, so a backup cut short is
# never taken for a good one. The database is dumped before the files are archived: every file a
# dumped row names is already on disk (a file uploaded meanwhile is an unused extra).
# Reads the portal's settings (DATABASE_URL, MEDIA_ROOT, .env); PG_BINDIR picks the client tools.
set -euo pipefail
# shellcheck source=scripts/pg_common.sh
source "$(dirname "$0")/pg_common.sh"

target_root=${1:-backups}
umask 077 # the backup holds personal data
mkdir -p "$target_root"
name="portal-$(date +%Y%m%d-%H%M%S)"
final="$target_root/$name"
work="$final.partial"
[[ ! -e "$final" && ! -e "$work" ]] || die "$final already exists"

major=$(require_matching_client pg_dump)
mkdir "$work"
snapshot_pid=""
cleanup() {
  [[ -z "$snapshot_pid" ]] || kill "$snapshot_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# One snapshot for the row counts and the dump: a session opens a repeatable-read transaction,
# exports its snapshot, counts the rows in it and stays open while pg_dump reads the same snapshot.
coproc SNAPSHOT { pg psql -X -A -t -q -F $'\t' -v ON_ERROR_STOP=1 -d "$PGDATABASE" 2>&1; }
# shellcheck disable=SC2153 # SNAPSHOT_PID is set by coproc
snapshot_pid=$SNAPSHOT_PID
exec {to_psql}>&"${SNAPSHOT[1]}" {from_psql}<&"${SNAPSHOT[0]}"
printf '%s\n' "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;" "SELECT pg_export_snapshot();" \
  "$ROW_COUNTS_SQL;" '\echo __counted__' >&"$to_psql"
read -r snapshot <&"$from_psql" || die "could not open a snapshot of $PGDATABASE"
[[ "$snapshot" =~ ^[0-9A-F-]+$ ]] || die "could not open a snapshot of $PGDATABASE: $snapshot"
counted=""
while read -r line <&"$from_psql"; do
  if [[ "$line" == __counted__ ]]; then
    counted=1
    break
  fi
  printf '%s\n' "$line"
done >"$work/row-counts.tsv"
[[ -n "$counted" ]] || die "counting the rows failed: $(tail -3 "$work/row-counts.tsv")"
pg pg_dump --format=custom --compress=6 --snapshot="$snapshot" --file="$work/db.dump" "$PGDATABASE"
printf '%s\n' "COMMIT;" '\q' >&"$to_psql"
exec {to_psql}>&- {from_psql}<&-
wait "$snapshot_pid" || die "the snapshot session failed"
snapshot_pid=""

if [[ -d "$MEDIA_ROOT" ]]; then
  files=$(find "$MEDIA_ROOT" -type f | wc -l)
  tar -C "$MEDIA_ROOT" -czf "$work/media.tar.gz" .
else
  files=0
  tar -czf "$work/media.tar.gz" --files-from /dev/null
fi

{
  echo "created: $(date --iso-8601=seconds)"
  echo "database: $PGDATABASE on ${PGHOST:-local socket}:${PGPORT:-5432}"
  echo "server: $(pg psql -X -A -t -q -d "$PGDATABASE" -c 'SELECT version()')"
  echo "client: $(pg pg_dump --version) (major $major)"
  echo "tables: $(wc -l <"$work/row-counts.tsv")"
  echo "rows: $(awk -F'\t' '{s += $2} END {print s + 0}' "$work/row-counts.tsv")"
  echo "media: $MEDIA_ROOT, $files files"
  if commit=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null); then echo "code: $commit"; fi
} >"$work/manifest.txt"
(cd "$work" && sha256sum db.dump media.tar.gz row-counts.tsv manifest.txt >SHA256SUMS)

mv "$work" "$final"
trap - EXIT
echo "Backup written to $final ($(du -sh "$final" | cut -f1)):"
sed 's/^/  /' "$final/manifest.txt"
