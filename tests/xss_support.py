"""A poisoned world for the stored-XSS checks (tests/test_escaping.py, tests/e2e/test_stored_xss.py).

Every free-text field (CharField/TextField without choices) of every row of every model of the
portal's apps is overwritten with markup that would run, or leave an element behind, if a page
printed it unescaped. The rows are the realistic objects the permission matrix builds for its
URLs (a studio with members and photos, results, projects, alliances, classes, sessions,
pairings, campaigns…), plus notifications and audit events carrying payloads, so each page the
resolver knows shows stored text from the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.urls import resolve, reverse

PORTAL_APPS = ("accounts", "core", "talent", "studios", "achievements", "alliances", "training", "mentoring", "reports")

# The payloads. Each runs `window.__xss = 1`, opens a dialog, or leaves a marked element behind
# when printed raw; escaped, each is plain text.
SCRIPT = "<script>window.__xss=1</script>"
IMG = '"><img src=x onerror="window.__xss=1">'  # breaks out of a double-quoted attribute
IMG_SQ = "'><img src=x onerror='window.__xss=1'>"  # …and of a single-quoted one
BREAKOUT = "</script><script>window.__xss=1</script>"  # ends a json_script block early
DIALOG = "<svg onload=alert(1)>"
TEMPLATE = "{{7*7}}"  # a client-side template engine would print 49
SHORT = "<u class=xss>"  # for the shortest fields (phone numbers, ID numbers)
JS_URL = "javascript:window.__xss=1"
PAYLOADS = (SCRIPT, IMG, IMG_SQ, BREAKOUT, DIALOG, TEMPLATE)

# What must never appear raw in a page's HTML (escaped, `<` is `&lt;` and these cannot occur).
RAW_MARKERS = (
    "<script>window.__xss",
    "<img src=x",
    "<svg onload",
    "<u class=xss",
    'onerror="window.__xss',
    "onerror='window.__xss",
)
# A stored link printed as a link (the portal's own `javascript:history.back()` is no payload).
JS_HREF = re.compile(r"""(href|src|action|formaction)\s*=\s*["']?\s*javascript:window""", re.IGNORECASE)

# Fields that are not free text a person types, and whose value the portal relies on.
NOT_FREE_TEXT = {
    ("accounts", "Unit", "path"): "treebeard's materialised path: the tree itself",
    ("accounts", "User", "password"): "a password hash",
    ("core", "AuditEvent", "object_id"): "the key that ties an event to its object's history",
    ("reports", "Tally", "key"): "a tally's dimension value (a level, a kind, a category, a studio's id), never typed",
}
# A link the portal itself puts into a notification: the one stored URL field.
URL_FIELDS = {("core", "Notification", "url")}


def free_text_fields() -> list[tuple[type[models.Model], models.Field]]:
    """(model, field) for every CharField/TextField without choices of the portal's models."""
    found = []
    for label in PORTAL_APPS:
        for model in apps.get_app_config(label).get_models():
            for f in model._meta.get_fields():
                if not f.concrete or not isinstance(f, models.CharField | models.TextField) or f.choices:
                    continue
                if (model._meta.app_label, model.__name__, f.name) in NOT_FREE_TEXT:
                    continue
                found.append((model, f))
    return found


def payload(f: models.Field, n: int, suffix: str = "") -> str:
    """A payload for field `f` (the n-th poisoned value) that fits its max_length with `suffix`."""
    if (f.model._meta.app_label, f.model.__name__, f.name) in URL_FIELDS:
        return JS_URL
    room = (f.max_length or 10_000) - len(suffix)
    # Rotate so every payload leads somewhere even in fields that take only one.
    order = PAYLOADS[n % len(PAYLOADS) :] + PAYLOADS[: n % len(PAYLOADS)]
    text = f"XSS{n}"
    for part in order:
        if len(text) + len(part) <= room:
            text += part
    if text == f"XSS{n}":
        text = SHORT if len(SHORT) <= room else SHORT[:room]
    return text + suffix


@dataclass
class Poisoned:
    fields: list = field(default_factory=list)  # "app.Model.field"
    rows: int = 0
    values: int = 0
    kept_empty: list = field(default_factory=list)


def poison_everything() -> Poisoned:
    """Overwrite every free-text value of every row with a payload (unique fields get the pk)."""
    result = Poisoned()
    n = 0
    for model, f in free_text_fields():
        result.fields.append(f"{model._meta.label}.{f.name}")
        manager = model._base_manager
        for pk in manager.order_by("pk").values_list("pk", flat=True):
            suffix = f"#{pk}" if f.unique else ""
            try:
                with transaction.atomic():
                    manager.filter(pk=pk).update(**{f.name: payload(f, n, suffix)})
            except IntegrityError:
                # A constraint keeps this value empty here (an adoption at a unit of the company
                # names no outside organisation).
                result.kept_empty.append(f"{model._meta.label}.{f.name}#{pk}")
                continue
            n += 1
            result.values += 1
    for model in {model for model, _ in free_text_fields()}:
        result.rows += model._base_manager.count()
    return result


def empty_models() -> list[str]:
    """Models with free text but no row: what the poisoned world would not show."""
    return sorted({m._meta.label for m, _ in free_text_fields() if not m._base_manager.exists()})


def fill_gaps(world) -> list:
    """Rows for the models the matrix's builders leave empty (on the objects they built), and
    payload-carrying notifications and audit events for the users who will look. Returns extra
    pages: (url name, kwargs) of objects only made here."""
    import datetime

    from achievements.models import Award, Result
    from core.models import Notification
    from core.services import audit_log
    from mentoring.models import Pairing
    from studios.models import LevelRecord, Studio
    from talent.models import Nomination, Scorecard
    from training.models import Enrolment, Feedback

    from .mentoring import fixtures as mf
    from .talent.campaign_fixtures import score
    from .training.fixtures import feedback

    day = datetime.date(2025, 3, 1)
    for pairing in Pairing.objects.all():
        mf.log(pairing, day)
        mf.placement(pairing, day)
    graduated = mf.make_pairing(world, status="graduated")
    for result in Result.objects.filter(status="verified"):
        Award.objects.create(result=result, name="奖", level="company", grade="一等奖", year=2025)
    for studio in Studio.objects.filter(status__in=("named", "rectifying")):
        LevelRecord.objects.create(studio=studio, level="company", awarded_on=day, document_no="文号", issuer="公司")
    for nomination in Nomination.objects.filter(campaign__status__in=("scoring", "publicised")):
        if not Scorecard.objects.filter(nomination=nomination, expert=world.expert).exists():
            score(nomination, world.expert, [80] * nomination.campaign.criteria.count(), comment="好")
    # A declared conflict of interest, its scorecard withdrawn (the reason is shown to HQ,
    # leadership and the expert, on the nomination, the scoring page and the queue).
    nomination = Nomination.objects.filter(campaign__status="scoring", scorecards__expert=world.expert).first()
    if nomination is not None:
        from talent.models import Recusal

        Scorecard.objects.filter(nomination=nomination, expert=world.expert).delete()
        Recusal.objects.create(nomination=nomination, expert=world.expert, relation="mentor", reason="师徒")
    for enrolment in Enrolment.objects.all():
        if not Feedback.objects.filter(enrolment=enrolment).exists():
            feedback(enrolment, comment="好")
    _annual_report(world)

    studio = world.studio(status="named", level="company")
    for user in (world.hq, world.unit_cadre, world.studio_lead, world.viewer, world.expert, world.unit_cadre_other):
        Notification.objects.create(recipient=user, title="t", body="b", url="/")
    with transaction.atomic():
        for obj in (studio, world.plant_a1, world.lead_person, graduated):
            audit_log(
                actor=world.unit_cadre,
                obj=obj,
                action="update",
                changes={"name": [SCRIPT, IMG], IMG_SQ: [BREAKOUT, DIALOG]},
                comment=SCRIPT + IMG,
            )
    return [
        ("mentoring:pairing_detail", {"pk": graduated.pk}),
        ("studios:studio_detail", {"pk": studio.pk}),
        ("showcase:studio", {"pk": studio.pk}),
    ]


def _annual_report(world):
    """The reports app's own row (being built alongside): a failed report carries text."""
    try:
        from reports.models import AnnualReport
    except ImportError:
        return
    if not AnnualReport.objects.exists():
        AnnualReport.objects.create(
            year=2025, unit=world.plant_a1, requested_by=world.unit_cadre, status="failed", error="e", task_id="t"
        )


@dataclass
class Page:
    name: str
    url: str
    roles: tuple  # the roles for which the matrix expects 200


# Pages that answer with something other than a page for those who may open them.
NOT_A_PAGE = {"logout", "set_language", "login", "core:notification_read_all", "core:notification_open"}


def build_pages(world) -> tuple[list[Page], dict[str, str]]:
    """Every URL of the matrix whose GET answers 200 to someone, with objects built by the
    matrix's own builders (each in a savepoint: a builder that cannot run twice in one world is
    reported, not fatal)."""
    from .test_permission_matrix import MATRIX, all_url_names

    pages, failed, built = [], {}, {}
    known = all_url_names()
    for name in sorted(MATRIX):
        if name in NOT_A_PAGE or name not in known:
            continue
        row = MATRIX[name]
        roles = tuple(role for role, expected in row.get.items() if expected == 200)
        if not roles:
            continue
        try:
            with transaction.atomic():
                kwargs = built[row.kwargs] if row.kwargs in built else row.kwargs(world)
        except IntegrityError as error:
            # Built twice in one world (a year's round, a batch's name): any object of the
            # view's model will do.
            kwargs = _any_object(known[name])
            if kwargs is None:
                failed[name] = repr(error)
                continue
        built[row.kwargs] = kwargs
        pages.append(Page(name, reverse(name, kwargs=kwargs), roles))
    return pages, failed


def _any_object(pattern):
    view_class = getattr(pattern.callback, "view_class", None)
    model = getattr(view_class, "model", None)
    if model is None or not model._default_manager.exists():
        return None
    return {"pk": model._default_manager.order_by("-pk").values_list("pk", flat=True)[0]}


def search_variants(pages: list[Page]) -> list[Page]:
    """The list pages again with every text filter set to a payload, and the search page."""
    from django_filters import CharFilter

    extra = []
    for page in pages:
        view_class = getattr(resolve(page.url).func, "view_class", None)
        filterset_class = getattr(view_class, "filterset_class", None)
        if filterset_class is None:
            continue
        params = [name for name, f in filterset_class.base_filters.items() if isinstance(f, CharFilter)]
        if params:
            from urllib.parse import urlencode

            query = urlencode(dict.fromkeys(params, SCRIPT + IMG))
            extra.append(Page(page.name + "?payload", f"{page.url}?{query}", page.roles))
            extra.append(Page(page.name + "?xss", f"{page.url}?{urlencode(dict.fromkeys(params, 'XSS'))}", page.roles))
    from urllib.parse import quote

    from .test_permission_matrix import MATRIX

    search = reverse("core:search")
    roles = tuple(role for role, expected in MATRIX["core:search"].get.items() if expected == 200)
    extra.append(Page("core:search?xss", f"{search}?q=XSS", roles))
    extra.append(Page("core:search?payload", f"{search}?q={quote(SCRIPT + IMG + BREAKOUT)}", roles))
    return extra


def raw_payloads(html: str) -> list[str]:
    """The payload fragments found unescaped in `html`, and javascript: links."""
    found = [marker for marker in RAW_MARKERS if marker in html]
    found += [m.group(0) for m in JS_HREF.finditer(html)]
    return found


@dataclass
class World:
    pages: list
    poisoned: Poisoned
    failed_builders: dict
    empty_models: list


def poisoned_world(world) -> World:
    """Build the matrix's objects and the missing ones, poison every free-text value, and list the
    pages to look at (each with the roles the matrix lets open it)."""
    from .test_permission_matrix import MATRIX

    pages, failed = build_pages(world)
    for name, kwargs in fill_gaps(world):
        roles = tuple(role for role, expected in MATRIX[name].get.items() if expected == 200)
        pages.append(Page(f"{name}+", reverse(name, kwargs=kwargs), roles))
    empty = empty_models()
    poisoned = poison_everything()
    pages += search_variants(pages)
    return World(pages=pages, poisoned=poisoned, failed_builders=failed, empty_models=empty)


class PdfSources:
    """Records the HTML each PDF is made from (WeasyPrint runs no script, but markup injected
    there would still be laid out in an official document)."""

    def __init__(self, monkeypatch):
        import weasyprint

        self.sources: list[str] = []
        real = weasyprint.HTML

        def recording(*args, **kwargs):
            if isinstance(kwargs.get("string"), str):
                self.sources.append(kwargs["string"])
            return real(*args, **kwargs)

        monkeypatch.setattr(weasyprint, "HTML", recording)
