"""Print the portal's database connection and media folder as shell variables, for backup.sh and
restore.sh: they read the same settings as the portal (DATABASE_URL, MEDIA_ROOT, .env), so a
backup never talks to a different database than the one the portal uses.

    eval "$(python scripts/portal_env.py)"   # PGHOST … PGDATABASE, MEDIA_ROOT
"""

import os
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def main() -> int:
    import django
    from django.conf import settings

    django.setup()
    database = settings.DATABASES["default"]
    if "postgresql" not in database["ENGINE"]:
        print(f"echo {shlex.quote('The database is not PostgreSQL (' + database['ENGINE'] + ').')} >&2; false")
        return 1
    values = {
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGDATABASE": database["NAME"],
        "PGSSLMODE": database.get("OPTIONS", {}).get("sslmode", ""),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    for name, value in values.items():
        if value:
            print(f"export {name}={shlex.quote(value)}")
        else:
            print(f"unset {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
