"""Finding and deleting the scale data (`seed_scale --reset`).

Scale data is everything under the national root unit (code ACFTU) — people, studios and all
they own, classes its units organised, pairings counted under them, alliances they lead — plus
the logins named scale_*, and the shared rows the load made for it (naming and designation
batches, selection campaigns, assessment rounds) once nothing else uses them.

On PostgreSQL, when the database holds nothing else (no unit outside the scale tree, no login
outside it), the tables are emptied with one TRUNCATE … RESTART IDENTITY CASCADE: seconds even
at tier N. That is meant for a dedicated benchmark database: CASCADE also empties every table
that points at them (audit events, notifications, stored reports). Otherwise the scale rows are
deleted table by table, children first — slower, and leaving every other row alone.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q

from .generate import ROOT_CODE, USER_PREFIX, scale_models, words


def scale_root():
    from accounts.models import Unit

    return Unit.objects.filter(code=ROOT_CODE, depth=1).first()


def has_scale_data() -> bool:
    from accounts.models import User

    return scale_root() is not None or User.objects.filter(username__startswith=USER_PREFIX).exists()


def only_scale_data() -> bool:
    """True when every unit and every login belongs to the scale data."""
    from accounts.models import Unit, User

    root = scale_root()
    if root is None:
        return False
    return (
        not Unit.objects.exclude(path__startswith=root.path).exists()
        and not User.objects.exclude(username__startswith=USER_PREFIX).exists()
    )


def reset() -> str:
    """Delete the scale data; returns how ("truncate" or "delete")."""
    if connection.vendor == "postgresql" and only_scale_data():
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in scale_models().values())
        with connection.cursor() as cursor:
            # Inside a transaction that has written rows with deferred foreign keys (the tallies
            # counted at the end of a load, in a test), TRUNCATE refuses while their checks are
            # pending: they are run now, and deferred again after.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return "truncate"
    _delete_scoped()
    return "delete"


# (model name in scale_models(), lookups from the model to a unit: a row is scale data when one of
# them is in the scale tree), children before parents.
SCOPED = (
    ("attendance", ("enrolment__training_class__organiser",)),
    ("feedback", ("enrolment__training_class__organiser",)),
    ("enrolment", ("training_class__organiser",)),
    ("session", ("training_class__organiser",)),
    ("training_class", ("organiser",)),
    ("progress", ("pairing__unit",)),
    ("graduation", ("pairing__unit",)),
    ("placement", ("pairing__unit",)),
    ("pairing", ("unit",)),
    ("score_item", ("scorecard__nomination__unit",)),
    ("scorecard", ("nomination__unit",)),
    ("nomination", ("unit",)),
    ("honour", ("person__unit",)),
    ("activity_person", ("activity__alliance__lead_unit",)),
    ("activity_studio", ("activity__alliance__lead_unit", "studio__unit")),
    ("activity", ("alliance__lead_unit",)),
    ("alliance_funding", ("alliance__lead_unit",)),
    ("designation", ("alliance__lead_unit", "studio__unit")),
    ("alliance_member", ("alliance__lead_unit", "studio__unit")),
    ("alliance", ("lead_unit",)),
    ("award", ("result__studio__unit",)),
    ("adoption", ("result__studio__unit",)),
    ("contributor", ("result__studio__unit",)),
    ("result", ("studio__unit",)),
    ("milestone", ("project__studio__unit",)),
    ("project_team", ("project__studio__unit",)),
    ("project_partner", ("project__studio__unit", "studio__unit")),
    ("project", ("studio__unit",)),
    ("assessment", ("studio__unit",)),
    ("funding", ("studio__unit",)),
    ("level_record", ("studio__unit",)),
    ("membership", ("studio__unit",)),
    ("studio", ("unit",)),
    ("grade_change", ("person__unit",)),
    ("person", ("unit",)),
)


def _delete_scoped() -> None:
    from accounts.models import Unit, User
    from alliances.models import DesignationBatch
    from studios.models import AssessmentRound, NamingBatch
    from talent.models import Campaign

    root = scale_root()
    models = scale_models()
    shared = {"rounds": set(), "campaigns": set()}
    if root is not None:
        prefix = root.path
        shared["rounds"] = set(
            models["assessment"]
            .objects.filter(studio__unit__path__startswith=prefix)
            .values_list("round_id", flat=True)
            .distinct()
        )
        shared["campaigns"] = set(
            models["nomination"]
            .objects.filter(unit__path__startswith=prefix)
            .values_list("campaign_id", flat=True)
            .distinct()
        )
        for name, lookups in SCOPED:
            condition = Q()
            for lookup in lookups:
                condition |= Q(**{f"{lookup}__path__startswith": prefix})
            queryset = models[name].objects.filter(condition)
            queryset._raw_delete(queryset.db)
    # Shared rows the load made, once nothing uses them any more.
    AssessmentRound.objects.filter(pk__in=shared["rounds"], assessments__isnull=True).delete()
    Campaign.objects.filter(pk__in=shared["campaigns"], nominations__isnull=True).delete()
    province_batches = [f"{spec[2].removesuffix('总工会')}第一批" for spec in words.PROVINCES]
    NamingBatch.objects.filter(
        Q(name__in=province_batches) | Q(level="national", name="第一批"), studios__isnull=True
    ).exclude(pk__in=models["level_record"].objects.filter(batch__isnull=False).values("batch_id")).delete()
    DesignationBatch.objects.filter(
        name__startswith="全国创新工作室联盟试点和示范单位（第", designations__isnull=True
    ).delete()
    User.objects.filter(username__startswith=USER_PREFIX).delete()
    if root is not None:
        User.objects.filter(unit__path__startswith=root.path).delete()
        Unit.objects.filter(path__startswith=root.path).delete()
