"""Training figures of a studio's annual self-assessment (studios.assessment registry)."""

from django.utils.translation import gettext_lazy as _

from studios.assessment import figure_provider


@figure_provider(
    {
        "training_person_times": _("Training person-times of the team"),
        "training_hours": _("Training hours of the team"),
    }
)
def training_figures(studio, year) -> dict:
    from .selectors import team_training_figures

    figures = team_training_figures(studio, year)
    return {"training_person_times": figures["person_times"], "training_hours": str(figures["hours"])}
