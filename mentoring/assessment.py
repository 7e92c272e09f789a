"""Pairing figures of a studio's annual self-assessment (studios.assessment registry)."""

from django.utils.translation import gettext_lazy as _

from studios.assessment import figure_provider


@figure_provider(
    {
        "pairings_started": _("Mentor pairings agreed in the year"),
        "pairings_active": _("Mentor pairings under way in the year"),
        "pairings_graduated": _("Apprentices graduated in the year"),
    }
)
def pairing_figures(studio, year) -> dict:
    from .selectors import studio_pairing_figures

    figures = studio_pairing_figures(studio, year)
    return {
        "pairings_started": figures["started"],
        "pairings_active": figures["active"],
        "pairings_graduated": figures["graduated"],
    }
