"""The sidebar. Each entry names the model and action the rule set checks, so the menu a user sees
is exactly what the user may open."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.apps import apps
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from .permissions import can


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    model: str | None = None  # "app_label.Model"; None: every signed-in user
    action: str = "view"

    def allowed(self, user) -> bool:
        return self.model is None or can(user, self.action, apps.get_model(self.model))


SECTIONS: list[tuple[str | None, list[NavItem]]] = [
    (None, [NavItem(_("Home"), "home", "house-door")]),
    (
        _("Studios"),
        [
            NavItem(_("Studios"), "studios:studio_list", "lightbulb", "studios.Studio"),
            NavItem(_("Waiting for me"), "studios:review_queue", "clipboard-check", "studios.Studio", "queue"),
            NavItem(_("Naming batches"), "studios:batch_list", "award", "studios.NamingBatch"),
            NavItem(_("Annual assessment"), "studios:round_list", "clipboard-data", "studios.AssessmentRound"),
        ],
    ),
    (
        _("Projects and results"),
        [
            NavItem(_("Innovation results"), "achievements:result_list", "trophy", "achievements.Result"),
            NavItem(_("Projects"), "achievements:project_list", "kanban", "achievements.Project"),
        ],
    ),
    (
        _("Alliances"),
        [
            NavItem(_("Alliances"), "alliances:alliance_list", "diagram-2", "alliances.Alliance"),
            NavItem(
                _("Pilot and demonstration units"), "alliances:batch_list", "patch-check", "alliances.DesignationBatch"
            ),
        ],
    ),
    (
        _("Training"),
        [
            NavItem(_("Training classes"), "training:class_list", "mortarboard", "training.TrainingClass"),
            NavItem(_("Mentor pairings"), "mentoring:pairing_list", "people", "mentoring.Pairing"),
            NavItem(_("Mentor rewards"), "mentoring:reward_list", "cash-coin", "mentoring.RewardRule", "view_rewards"),
        ],
    ),
    (
        _("Talent"),
        [
            NavItem(_("Talent registry"), "talent:person_list", "person-badge", "talent.Person"),
            NavItem(_("Selection campaigns"), "talent:campaign_list", "award-fill", "talent.Campaign"),
            NavItem(_("Scoring queue"), "talent:scoring_queue", "pencil-square", "talent.Campaign", "score"),
        ],
    ),
    (
        _("Statistics"),
        [
            NavItem(_("Dashboard"), "dashboard:index", "speedometer2", "accounts.Unit", "view_statistics"),
            NavItem(_("Annual reports"), "reports:report_list", "file-earmark-bar-graph", "reports.AnnualReport"),
        ],
    ),
    (
        _("Organisation"),
        [
            NavItem(_("Units"), "accounts:unit_list", "diagram-3", "accounts.Unit"),
            NavItem(_("Users"), "accounts:user_list", "people", "accounts.User"),
        ],
    ),
    (
        _("System"),
        [
            NavItem(_("Eligibility rules"), "studios:rules", "sliders", "studios.EligibilityRules"),
            NavItem(_("Studio kinds"), "studios:kind_list", "tags", "studios.StudioKind"),
            NavItem(_("Project kinds"), "achievements:kind_list", "tags", "achievements.ProjectKind"),
            NavItem(_("Audit log"), "core:audit_list", "journal-text", "core.AuditEvent"),
        ],
    ),
]


@lru_cache(maxsize=256)
def _address(url_name: str, script_prefix: str, urlconf: str | None, args: tuple = ()) -> str:
    return reverse(url_name, urlconf=urlconf, args=args)


def address(url_name: str, *args) -> str:
    """The address of a URL name, without arguments or with a few fixed ones (a chart's code). It
    never changes while the process runs: reversed once, not on every page (reversing the menu's
    twenty-odd names was most of the menu's cost; the dashboard links a hundred figures to their
    lists)."""
    return _address(url_name, get_script_prefix(), get_urlconf(), args)


def navigation_for(user, current_path: str) -> list[dict]:
    sections = []
    for label, items in SECTIONS:
        entries = []
        for item in items:
            if not item.allowed(user):
                continue
            url = address(item.url_name)
            active = current_path == url if url == "/" else current_path.startswith(url)
            entries.append({"label": item.label, "url": url, "icon": item.icon, "active": active})
        if entries:
            sections.append({"label": label, "items": entries})
    # Nested URLs (/training/ and /training/pairings/): only the longest matching entry is current.
    current = [entry for section in sections for entry in section["items"] if entry["active"]]
    longest = max((len(entry["url"]) for entry in current), default=0)
    for entry in current:
        entry["active"] = len(entry["url"]) == longest
    return sections
