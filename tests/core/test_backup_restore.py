"""Backup and restore (scripts/backup.sh, scripts/restore.sh) on a real PostgreSQL database.

The demo company is built through the services (seed_demo) and files are uploaded through the
pages; the backup is restored into a new database and a new media folder, where every table has
the same rows (count and checksum), every sequence the same position and every file the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, models
from django.urls import reverse

from ..conftest import skip_or_fail
from .test_uploads import png_bytes

ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPTS = ROOT / "scripts"

pytestmark = pytest.mark.services


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        skip_or_fail("backup and restore need PostgreSQL (set DATABASE_URL=postgres://…)")
    for tool in ("pg_dump", "pg_restore", "psql"):
        if shutil.which(tool) is None:
            skip_or_fail(f"{tool} is missing (apt-get install postgresql-client)")
    return connection.settings_dict


def database_url(params: dict, name: str) -> str:
    user = quote(params.get("USER") or "", safe="")
    password = quote(params.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{credentials}{params.get('HOST') or '127.0.0.1'}:{params.get('PORT') or 5432}/{name}"


def run(script: str, *args, database: str, media: Path, params: dict, extra_env=None):
    env = {
        **os.environ,
        "PYTHON": sys.executable,
        "DATABASE_URL": database_url(params, database),
        "MEDIA_ROOT": str(media),
        **(extra_env or {}),
    }
    return subprocess.run(
        ["bash", str(SCRIPTS / script), *map(str, args)], env=env, capture_output=True, text=True, timeout=300
    )


def connect(params: dict, name: str):
    import psycopg2

    return psycopg2.connect(
        dbname=name,
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
    )


def drop_database(params: dict, name: str) -> None:
    maintenance = connect(params, "postgres")
    maintenance.autocommit = True
    with maintenance.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    maintenance.close()


def fingerprint(conn) -> dict:
    """Per table: rows and an order-independent checksum of their text; per sequence: its position."""
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
        )
        tables = cursor.fetchall()
        result = {}
        for schema, table in tables:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) FROM \"{schema}\".\"{table}\" t"  # noqa: E501, S608 - names from the catalogue
            )
            result[f"{schema}.{table}"] = cursor.fetchone()
        cursor.execute("SELECT schemaname, sequencename, last_value FROM pg_sequences ORDER BY 1, 2")
        for schema, sequence, last_value in cursor.fetchall():
            result[f"sequence {schema}.{sequence}"] = last_value
    return result


def files_of(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def file_names_in_rows() -> set[str]:
    """Every file name a FileField of the portal's models holds."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                names.update(name for name in model._default_manager.values_list(field.name, flat=True) if name)
    return names


def build_data(client) -> None:
    """The demo company through the services, plus uploads through the pages (a photo, a PDF with
    bytes that are not text) and text that is easy to get wrong (quotes, tabs, emoji, rare CJK)."""
    from accounts.models import User
    from achievements.models import Result
    from studios.models import Studio

    call_command("seed_demo", verbosity=0)
    lead = User.objects.get(username="studio_lead")
    client.force_login(lead)
    studio = Studio.objects.visible_to(lead).filter(lead__user=lead).order_by("pk").first()
    response = client.post(
        reverse("studios:photo_create", args=[studio.pk]),
        {"image": SimpleUploadedFile("现场.png", png_bytes(64, 48)), "caption": "引号'\"\t制表符 🛠 𠀀"},
    )
    assert response.status_code == 302, response.status_code
    result = Result.objects.filter(studio__lead__user=lead).order_by("pk").first()
    pdf = b"%PDF-1.4\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"
    response = client.post(
        reverse("achievements:attachment_create", args=[result.pk]),
        {"title": "技术报告（含二进制）", "file": SimpleUploadedFile("报告.pdf", pdf, content_type="application/pdf")},
    )
    assert response.status_code == 302, response.status_code


@pytest.mark.django_db(transaction=True)  # the scripts see only committed rows
def test_backup_then_restore_into_a_new_database_finds_every_row_and_file(postgres, client, tmp_path, artifacts_dir):
    build_data(client)
    source_media = Path(settings.MEDIA_ROOT)
    source_files = files_of(source_media)
    names = file_names_in_rows()
    assert len(source_files) >= 10 and names <= set(source_files)

    backup = run("backup.sh", tmp_path / "backups", database=postgres["NAME"], media=source_media, params=postgres)
    assert backup.returncode == 0, backup.stderr
    [folder] = (tmp_path / "backups").iterdir()
    assert folder.name.startswith("portal-") and not folder.name.endswith(".partial")
    contents = {p.name for p in folder.iterdir()}
    assert contents == {"db.dump", "media.tar.gz", "row-counts.tsv", "manifest.txt", "SHA256SUMS"}

    restored_name = f"{postgres['NAME']}_restored"
    restored_media = tmp_path / "restored-media"
    drop_database(postgres, restored_name)
    try:
        restore = run("restore.sh", folder, database=restored_name, media=restored_media, params=postgres)
        assert restore.returncode == 0, restore.stderr
        assert "the same counts as at backup time" in restore.stdout

        source = connect(postgres, postgres["NAME"])
        restored = connect(postgres, restored_name)
        try:
            before, after = fingerprint(source), fingerprint(restored)
        finally:
            source.close()
            restored.close()
        assert before == after
        rows = sum(value[0] for key, value in before.items() if not key.startswith("sequence"))
        assert rows > 500 and before["public.achievements_attachment"][0] >= 1

        assert files_of(restored_media) == source_files
        assert all((restored_media / name).is_file() for name in names)
        tables = sum(1 for key in before if not key.startswith("sequence"))
        (artifacts_dir / "backup-restore.txt").write_text(
            f"{tables} tables, {rows} rows and {len(source_files)} files backed up and restored; "
            f"row counts, row checksums, sequences and file bytes equal.\n{restore.stdout}"
        )

        # Restoring again over the restored data is refused: nothing is overwritten.
        again = run("restore.sh", folder, database=restored_name, media=tmp_path / "other-media", params=postgres)
        assert again.returncode != 0 and "already has" in again.stderr
        again = run("restore.sh", folder, database=f"{restored_name}_x", media=restored_media, params=postgres)
        assert again.returncode != 0 and "not empty" in again.stderr
    finally:
        drop_database(postgres, restored_name)
        drop_database(postgres, f"{restored_name}_x")


def test_a_damaged_backup_is_refused_before_anything_is_written(db, postgres, tmp_path):
    backup = run("backup.sh", tmp_path / "backups", database=postgres["NAME"], media=tmp_path / "none", params=postgres)
    assert backup.returncode == 0, backup.stderr
    [folder] = (tmp_path / "backups").iterdir()
    dump = folder / "db.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    target = f"{postgres['NAME']}_damaged"
    drop_database(postgres, target)
    restore = run("restore.sh", folder, database=target, media=tmp_path / "media-damaged", params=postgres)
    assert restore.returncode != 0 and "does not match its checksums" in restore.stderr
    assert not (tmp_path / "media-damaged").exists()
    conn = connect(postgres, "postgres")
    with conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [target])
        assert cursor.fetchone()[0] == 0
    conn.close()


def test_client_and_server_of_different_versions_stop_with_a_clear_message(db, postgres, tmp_path):
    # The machine's own client matches its server (CI installs postgresql-client for that).
    client_version = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server_major = int(cursor.fetchone()[0]) // 10000
    assert f"(PostgreSQL) {server_major}." in client_version, (client_version, server_major)

    # A pg_dump of another major version is refused before it writes anything.
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "psql").symlink_to(shutil.which("psql"))
    fake = bindir / "pg_dump"
    fake.write_text(f"#!/bin/sh\necho 'pg_dump (PostgreSQL) {server_major - 4}.2'\n")
    fake.chmod(0o755)
    backup = run(
        "backup.sh",
        tmp_path / "backups",
        database=postgres["NAME"],
        media=tmp_path / "none",
        params=postgres,
        extra_env={"PG_BINDIR": str(bindir)},
    )
    assert backup.returncode != 0
    assert f"pg_dump is PostgreSQL {server_major - 4} but the server is PostgreSQL {server_major}" in backup.stderr
    assert f"postgresql-client-{server_major}" in backup.stderr
    assert not any((tmp_path / "backups").iterdir())
