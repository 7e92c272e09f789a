"""Figures of the annual self-assessment, taken from what the portal already holds.

Each provider returns {figure_code: value} for a studio and year. This app provides team and
funding figures; the apps for projects and results, pairings and training register their own
providers here as they arrive (e.g. "verified_results"), so the self-assessment grows with them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

_providers: list[Callable] = []
FIGURE_LABELS: dict[str, str] = {}


def figure_provider(labels: dict):
    """Register a provider `f(studio, year) -> dict` and the labels of the figures it gives."""

    def wrap(function):
        _providers.append(function)
        FIGURE_LABELS.update(labels)
        return function

    return wrap


@figure_provider(
    {
        "team_size": _("Team size"),
        "funding_in": _("Funding in (yuan)"),
        "funding_out": _("Funding spent (yuan)"),
        "planned_projects": _("Planned projects per year"),
    }
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
