#!/usr/bin/env bash
# Restore a backup made by backup.sh into an empty database and an empty media folder.
#
#   scripts/restore.sh BACKUP_FOLDER      (make restore FROM=…)
#
# The target is the portal's own settings (DATABASE_URL, MEDIA_ROOT, .env): point them at a new
# database and a new folder first. The database is created when it does not exist; a database
# that already has tables, or a media folder that already has files, is refused (nothing is
# overwritten). The backup's checksums are verified before anything is written; the database is
# restored in one transaction (all or nothing); afterwards every table's row count is compared
# with the counts taken at backup time.
set -euo pipefail
# shellcheck source=scripts/pg_common.sh
source "$(dirname "$0")/pg_common.sh"

[[ $# -eq 1 ]] || die "usage: $0 BACKUP_FOLDER"
backup=$(cd "$1" && pwd) || die "no backup folder $1"
for file in db.dump media.tar.gz row-counts.tsv manifest.txt SHA256SUMS; do
  [[ -f "$backup/$file" ]] || die "$backup has no $file: not a complete backup"
done
(cd "$backup" && sha256sum --check --quiet --strict SHA256SUMS) || die "$backup does not match its checksums"

# The maintenance database, to look for and create the target database.
maintenance=${PG_MAINTENANCE_DB:-postgres}
major=$(require_matching_client pg_restore "$maintenance")
dumped_by=$(pg pg_restore --list "$backup/db.dump" | sed -n 's/^;[[:space:]]*Dumped by pg_dump version: \([0-9]*\).*/\1/p')
if [[ -n "$dumped_by" && "$dumped_by" -gt "$major" ]]; then
  die "the backup was made by pg_dump $dumped_by; restore it with PostgreSQL $dumped_by client tools and server"
fi

# psql quotes the name itself (:'db' and :"db" are expanded from standard input, not from -c).
exists=$(pg psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$maintenance" -v db="$PGDATABASE" \
  <<<"SELECT count(*) FROM pg_database WHERE datname = :'db';")
if [[ "$exists" == 0 ]]; then
  pg psql -X -q -v ON_ERROR_STOP=1 -d "$maintenance" -v db="$PGDATABASE" <<<'CREATE DATABASE :"db";'
  echo "Created the database $PGDATABASE."
else
  tables=$(pg psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$PGDATABASE" -c \
    "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")
  [[ "$tables" == 0 ]] || die "the database $PGDATABASE already has $tables tables: restore into a new, empty database"
fi

if [[ -d "$MEDIA_ROOT" && -n "$(ls -A "$MEDIA_ROOT")" ]]; then
  die "the media folder $MEDIA_ROOT is not empty: restore into a new, empty folder"
fi

pg pg_restore --no-owner --no-acl --exit-on-error --single-transaction --dbname="$PGDATABASE" "$backup/db.dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$backup/media.tar.gz"

if ! differences=$(diff <(row_counts "$PGDATABASE") "$backup/row-counts.tsv"); then
  printf 'Row counts differ from the backup (< restored, > backed up):\n%s\n' "$differences" >&2
  die "the restored database does not hold every row of the backup"
fi
tables=$(wc -l <"$backup/row-counts.tsv")
rows=$(awk -F'\t' '{s += $2} END {print s + 0}' "$backup/row-counts.tsv")
files=$(find "$MEDIA_ROOT" -type f | wc -l)
echo "Restored $backup into the database $PGDATABASE ($tables tables, $rows rows, the same counts as at" \
  "backup time) and $MEDIA_ROOT ($files files)."
