"""Figures of the annual self-assessment, taken from what the portal already holds.

Each provider returns {figure_code: value} for a studio and year. This app provides team and
funding figures; the apps for projects and results, pairings and training register their own
providers here as they arrive (e.g. "verified_results"), so the self-assessment grows with them.

The figures are taken again at each decision (the lead's self-assessment, the unit's score, HQ's
grade): a result verified after the self-assessment counts in the score. Each step's audit event
keeps the figures it was taken on (`figures_text`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from core.i18n import label_maker

_providers: list[Callable] = []
FIGURE_LABELS: dict[str, str] = {}
MONEY_FIGURES: set[str] = set()


def figure_provider(labels: dict, *, money: tuple = ()):
    """Register a provider `f(studio, year) -> dict` and the labels of the figures it gives;
    `money` names the figures that are amounts in yuan (shown as ¥1,234.00)."""

    def wrap(function):
        _providers.append(function)
        FIGURE_LABELS.update(labels)
        MONEY_FIGURES.update(money)
        return function

    return wrap


@figure_provider(
    {
        "team_size": _("Team size"),
        "funding_in": _("Funding in"),
        "funding_out": _("Funding spent"),
        "planned_projects": _("Planned projects per year"),
    },
    money=("funding_in", "funding_out"),
)
def studio_figures(studio, year) -> dict:
    from .selectors import funding_totals, team_figures

    funding = funding_totals(studio, year=year)
    return {
        "team_size": team_figures(studio)["size"],
        "funding_in": str(funding["income"]),
        "funding_out": str(funding["spending"]),
        "planned_projects": studio.planned_projects,
    }


def assessment_figures(studio, year) -> dict:
    figures = {}
    for provider in _providers:
        figures.update(provider(studio, year))
    return figures


def figure_value(code: str, value) -> str:
    """A figure as people read it: money as ¥1,234.00, other figures as they are."""
    from core.templatetags.portal import yuan

    return yuan(value) if code in MONEY_FIGURES else str(value)


def figure_rows(figures: dict, recorded: dict | None = None) -> list[dict]:
    """The rows of the figures table: label, value and, given `recorded` (the figures recorded at
    the last step), the value recorded then and whether it has changed since."""
    rows = []
    for code, value in figures.items():
        row = {"code": code, "label": FIGURE_LABELS.get(code, code), "value": figure_value(code, value)}
        if recorded is not None:
            row["recorded"] = figure_value(code, recorded[code]) if code in recorded else "—"
            row["changed"] = code in recorded and str(recorded[code]) != str(value)
        rows.append(row)
    return rows


@label_maker("assessment_figures")
def figures_label(figures: list, before: list | None = None) -> str:
    """figures_text of figures kept as [code, value] pairs (a database's JSON may not keep the
    order of an object's keys): an audit comment's figures, composed in the reader's language."""
    return figures_text(dict(figures), dict(before) if before is not None else None)


def figures_text(figures: dict, before: dict | None = None) -> str:
    """The figures as one line for an audit comment, in the actor's language; a figure that moved
    since `before` (the figures recorded at the previous step) shows both values."""
    parts = []
    for row in figure_rows(figures, before):
        if row.get("changed"):
            parts.append(f"{row['label']} {row['recorded']} → {row['value']}")
        else:
            parts.append(f"{row['label']} {row['value']}")
    return gettext("Figures taken: %(figures)s") % {"figures": pgettext("list separator", "; ").join(parts)}
