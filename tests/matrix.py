"""The vocabulary of the permission matrix (tests/test_permission_matrix.py): the roles, the
expected answers per role, and `Row`. Each app's rows may live beside its tests
(tests/<app>/matrix_rows.py) and are merged into MATRIX there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# studio_lead leads the studios of plant A1 (the targets below); other_lead leads a studio in B1.
ROLES = ("anonymous", "hq", "unit_cadre", "unit_cadre_other", "studio_lead", "other_lead", "expert", "viewer")
SIGNED_IN = ROLES[1:]
LOGIN = "login"  # a 302 to the login page


def cells(default=None, **overrides) -> dict:
    """Expected answers per role; `default` covers the roles not named."""
    table = dict.fromkeys(ROLES, default)
    table.update(overrides)
    missing = [role for role, value in table.items() if value is None]
    if missing:
        raise ValueError(f"no expectation for {missing}")
    return table


def signed_in(default, **overrides) -> dict:
    """Anonymous → login page; every signed-in role `default` unless overridden."""
    return cells(default, anonymous=LOGIN, **overrides)


@dataclass
class Row:
    get: dict
    post: dict
    kwargs: Callable = field(default=lambda world: {})
