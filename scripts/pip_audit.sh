#!/usr/bin/env bash
# Audit the pinned requirements (requirements.txt, requirements-dev.txt) for known vulnerabilities
# with pip-audit, which reads PyPI's advisory data for each pinned release.
#
# Fails when a pinned release has a known vulnerability that security/pip-audit-ignore.txt does not
# accept with a reason, and when PyPI's advisory data cannot be read: a package that could not be
# audited is never taken as clean (--strict). PIP_AUDIT_IF_UNREACHABLE=warn turns only the second
# case into a loud warning (for a build machine that reaches PyPI's package index but not its
# per-release JSON API); a vulnerability found always fails.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
IGNORE_FILE=security/pip-audit-ignore.txt
ON_UNREACHABLE=${PIP_AUDIT_IF_UNREACHABLE:-fail}
REQUIREMENTS=(requirements.txt requirements-dev.txt)

ignores=()
while read -r id reason; do
  [[ -z "$id" || "$id" == \#* ]] && continue
  if [[ -z "$reason" ]]; then
    echo "$IGNORE_FILE: $id is listed without a reason" >&2
    exit 2
  fi
  ignores+=(--ignore-vuln "$id")
done <"$IGNORE_FILE"

pinned=$(cat "${REQUIREMENTS[@]}" | grep -c '==' || true)
echo "pip-audit: ${pinned} pinned releases in ${REQUIREMENTS[*]}; $((${#ignores[@]} / 2)) advisories accepted in $IGNORE_FILE"

# Ask PyPI for one pinned release first, so that an unreachable advisory service is reported as
# such instead of as ninety packages "not found".
if ! probe=$("$VENV/bin/python" - <<'PY'
import json, re, sys, urllib.request

pin = next(line.strip() for line in open("requirements.txt") if line.lower().startswith("django=="))
name, version = pin.split("==")
url = f"https://pypi.org/pypi/{name}/{version}/json"
try:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - a fixed https URL
        data = json.load(response)
except Exception as error:  # noqa: BLE001 - any failure means "could not ask"
    print(f"{url}: {error}")
    sys.exit(1)
if "vulnerabilities" not in data:
    print(f"{url}: the answer has no advisory data")
    sys.exit(1)
PY
); then
  cat >&2 <<MSG

!!! ------------------------------------------------------------------------------------------ !!!
!!! pip-audit did NOT run: PyPI's advisory data could not be read.                              !!!
!!! ${probe}
!!! No dependency was audited for known vulnerabilities. Run \`make security\` where PyPI's
!!! JSON API (https://pypi.org/pypi/<name>/<version>/json) answers.
!!! ------------------------------------------------------------------------------------------ !!!

MSG
  if [[ "$ON_UNREACHABLE" == warn ]]; then
    echo "PIP_AUDIT_IF_UNREACHABLE=warn: going on without the dependency audit." >&2
    exit 0
  fi
  exit 3
fi

files=()
for requirements in "${REQUIREMENTS[@]}"; do files+=(-r "$requirements"); done
exec "$VENV/bin/pip-audit" --strict --no-deps --disable-pip --progress-spinner off --desc off "${ignores[@]}" "${files[@]}"
