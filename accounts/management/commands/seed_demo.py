"""Demo data: a believable company with one demo login per role. Safe to run again (idempotent).

Everything is written through the same services the pages use, so the audit trail is real.
"""

from urllib.parse import urlsplit

from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils.module_loading import import_string

from accounts.choices import Role, UnitKind
from accounts.models import Unit, User
from accounts.services import organisation_bootstrap, unit_create, user_create, user_password_change

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - published demo login, see README

ROOT = ("江汉汽车集团有限公司", "JH")
# (code, name, short name, kind, parent code)
UNITS = [
    ("JH-PC", "江汉乘用车有限公司", "乘用车公司", UnitKind.SUBSIDIARY, "JH"),
    ("JH-CV", "江汉商用车有限公司", "商用车公司", UnitKind.SUBSIDIARY, "JH"),
    ("JH-PT", "江汉零部件有限公司", "零部件公司", UnitKind.SUBSIDIARY, "JH"),
    ("JH-PC-AS", "乘用车总装厂", "总装厂", UnitKind.PLANT, "JH-PC"),
    ("JH-PC-ST", "乘用车冲压厂", "冲压厂", UnitKind.PLANT, "JH-PC"),
    ("JH-PC-PA", "乘用车涂装厂", "涂装厂", UnitKind.PLANT, "JH-PC"),
    ("JH-CV-AX", "商用车车桥厂", "车桥厂", UnitKind.PLANT, "JH-CV"),
    ("JH-CV-CA", "商用车车身厂", "车身厂", UnitKind.PLANT, "JH-CV"),
    ("JH-CV-EN", "商用车发动机厂", "发动机厂", UnitKind.PLANT, "JH-CV"),
    ("JH-PT-CS", "零部件铸造厂", "铸造厂", UnitKind.PLANT, "JH-PT"),
    ("JH-PT-EL", "零部件电器厂", "电器厂", UnitKind.PLANT, "JH-PT"),
    ("JH-CV-AX-MC", "车桥厂机加车间", "机加车间", UnitKind.WORKSHOP, "JH-CV-AX"),
    ("JH-CV-AX-HT", "车桥厂热处理车间", "热处理车间", UnitKind.WORKSHOP, "JH-CV-AX"),
    ("JH-CV-EN-AS", "发动机厂装配车间", "装配车间", UnitKind.WORKSHOP, "JH-CV-EN"),
    ("JH-PC-AS-FA", "总装厂总装一车间", "总装一车间", UnitKind.WORKSHOP, "JH-PC-AS"),
]
# (username, name, role, unit code, email)
USERS = [
    ("unit_cadre", "李晓燕", Role.UNIT_CADRE, "JH-CV", "unit_cadre@example.com"),
    ("studio_lead", "张卫东", Role.STUDIO_LEAD, "JH-CV-AX", "studio_lead@example.com"),
    ("expert", "陈志强", Role.EXPERT, "JH-PT", "expert@example.com"),
    ("viewer", "刘振华", Role.VIEWER, "JH", ""),
    ("unit_cadre_pc", "赵丽华", Role.UNIT_CADRE, "JH-PC", ""),
    ("studio_lead_pc", "孙建平", Role.STUDIO_LEAD, "JH-PC-AS", ""),
]


# Each app seeds its own demo records (idempotent; returns how many it made, 0 if already there),
# in this order: later apps build on earlier ones. What is taken from the data when it happens
# comes after that data, as it would in real life: this year's applications (their stored
# eligibility check reads the leads' skill grades, which the pairings change, and honours, which
# last year's selection awarded) after the pairings and the campaigns, and last year's assessment
# (its figures count projects, results, pairings and training) last.
APP_SEEDERS = [
    ("studios.demo.seed_studios", "Demo studios"),
    ("achievements.demo.seed_achievements", "Demo projects"),
    ("alliances.demo.seed_alliances", "Demo alliances"),
    ("mentoring.demo.seed_pairings", "Demo mentor pairings"),
    ("talent.demo.seed_campaigns", "Demo selection campaigns"),
    ("studios.demo.seed_applications", "Demo applications"),
    ("training.demo.seed_training", "Demo training classes"),
    ("studios.demo.seed_assessments", "Demo assessments"),
]


def _record_of(notification):
    """The record a notification links to (its detail page's object), or None."""
    try:
        match = resolve(urlsplit(notification.url).path)
    except Resolver404:
        return None
    model = getattr(getattr(match.func, "view_class", None), "model", None)
    if model is None or "pk" not in match.kwargs:
        return None
    return model._default_manager.filter(pk=match.kwargs["pk"]).first()


def _changed_since(record, moment) -> bool:
    """The record, or a row of its own (a round's assessments), was saved after `moment`."""
    if getattr(record, "updated_at", None) and record.updated_at > moment:
        return True
    children = [
        relation
        for relation in record._meta.related_objects
        if relation.one_to_many and any(f.name == "updated_at" for f in relation.related_model._meta.fields)
    ]
    return any(
        child.related_model._default_manager.filter(**{child.field.name: record, "updated_at__gt": moment}).exists()
        for child in children
    )


def mark_handled_notifications_read() -> int:
    """The demo's history is months old: its people would long have read what they were told of
    things handled since. A notification is handled when its record has changed after it was sent
    (a studio reviewed, named or revoked since; a campaign closed; a result verified): the record's
    updated_at is later. A notification that links to a page rather than a record (an expert's
    scoring queue) is handled once a newer one of the same kind has come. What still waits (this
    year's applications, the join request, the campaign in scoring) stays unread. Safe to run
    again."""
    from django.utils import timezone

    from core.models import Notification
    from core.services import notifications_changed

    unread = list(Notification.objects.filter(read_at__isnull=True).order_by("-created_at", "-id"))
    handled, newest_of_kind = [], set()
    for notification in unread:
        record = _record_of(notification)
        if record is None:
            kind = (notification.recipient_id, notification.title, notification.url)
            if kind in newest_of_kind:
                handled.append(notification.pk)
            newest_of_kind.add(kind)
        elif _changed_since(record, notification.created_at):
            handled.append(notification.pk)
    marked = Notification.objects.filter(pk__in=handled)
    notifications_changed(marked.values_list("recipient_id", flat=True).distinct())
    return marked.update(read_at=timezone.now())


class Command(BaseCommand):
    help = "Load demo data (a company, its units and one login per role). Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        hq = User.objects.filter(username="hq_cadre").first()
        if hq is None:
            root_name, root_code = ROOT
            _, hq = organisation_bootstrap(
                unit_name=root_name, unit_code=root_code, username="hq_cadre", name="王建国", password=DEMO_PASSWORD
            )
        units = {unit.code: unit for unit in Unit.objects.all()}
        for code, name, short_name, kind, parent_code in UNITS:
            if code in units:
                continue
            units[code] = unit_create(
                actor=hq,
                parent=units[parent_code],
                name=name,
                short_name=short_name,
                code=code,
                kind=kind,
                union_name=f"{name}工会",
            )
        created = 0
        for username, name, role, unit_code, email in USERS:
            if User.objects.filter(username=username).exists():
                continue
            user, _ = user_create(actor=hq, username=username, name=name, role=role, unit=units[unit_code], email=email)
            user_password_change(user=user, new_password=DEMO_PASSWORD)
            created += 1
        for path, label in APP_SEEDERS:
            count = import_string(path)()
            if count:
                self.stdout.write(f"{label}: {count}.")
        read = mark_handled_notifications_read()
        if read:
            self.stdout.write(f"Notifications about what has been handled since, marked read: {read}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {Unit.objects.count()} units, {User.objects.count()} accounts "
                f"({created} new). Demo password: {DEMO_PASSWORD}"
            )
        )
