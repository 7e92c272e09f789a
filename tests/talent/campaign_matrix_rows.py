"""Permission-matrix rows of the selection campaigns (merged into tests/test_permission_matrix.MATRIX).

The campaign is HQ's; its nominee is a person of plant A1 nominated by branch A's cadre; the
panel's expert works in plant B1 (not conflicted with A1). So: HQ runs everything; leadership
reads everything but acts on nothing; branch A's cadre sees and manages its nominee, branch B's
cadre sees campaigns but not that nominee (404); the leads see campaigns, and nominees only once
published; the expert sees the campaign it is assigned to and the nominee it may score.
An empty POST is bad input (400) where a form needs data, or a refusal by state (409).
"""

from ..matrix import Row, signed_in
from . import campaign_fixtures as cf

HQ_GET = signed_in(403, hq=200)
HQ_POST_BAD = signed_in(403, hq=400)
NOMINEE_SEEN = {"unit_cadre_other": 404, "studio_lead": 404, "other_lead": 404}
# The panel is HQ's and leadership's: nobody else finds its rows.
PANEL_SEEN = {"unit_cadre": 404, "unit_cadre_other": 404, "studio_lead": 404, "other_lead": 404, "expert": 404}

CAMPAIGN_ROWS = {
    # Every role sees campaigns (the expert: those it is assigned to).
    "talent:campaign_list": Row(get=signed_in(200), post=signed_in(405)),
    "talent:campaign_create": Row(get=HQ_GET, post=HQ_POST_BAD),
    "talent:campaign_detail": Row(get=signed_in(200), post=signed_in(405), kwargs=cf.open_campaign),
    "talent:campaign_update": Row(get=HQ_GET, post=HQ_POST_BAD, kwargs=cf.open_campaign),
    "talent:criterion_create": Row(get=HQ_GET, post=HQ_POST_BAD, kwargs=cf.open_campaign),
    "talent:criterion_update": Row(get=HQ_GET, post=HQ_POST_BAD, kwargs=cf.criterion_of_open),
    # Removing a criterion needs no data: HQ's POST succeeds while the campaign is open.
    "talent:criterion_delete": Row(get=HQ_GET, post=signed_in(403, hq=302), kwargs=cf.criterion_of_open),
    "talent:panel_add": Row(get=HQ_GET, post=HQ_POST_BAD, kwargs=cf.open_campaign),
    "talent:panel_remove": Row(
        get=signed_in(403, hq=200, **PANEL_SEEN),
        post=signed_in(403, hq=302, **PANEL_SEEN),
        kwargs=cf.panel_member_of_open,
    ),
    # HQ and every unit cadre nominate (each within its own subtree); an empty nomination is a 400.
    "talent:nomination_create": Row(
        get=signed_in(403, hq=200, unit_cadre=200, unit_cadre_other=200),
        post=signed_in(403, hq=400, unit_cadre=400, unit_cadre_other=400),
        kwargs=cf.open_campaign,
    ),
    # Everything is ready (a nomination, weights of 100, an expert of another unit): HQ starts it.
    "talent:campaign_start_scoring": Row(get=HQ_GET, post=signed_in(403, hq=302), kwargs=cf.open_campaign),
    "talent:campaign_ranking": Row(get=HQ_GET, post=signed_in(405), kwargs=cf.scoring_campaign),
    "talent:campaign_ranking_export": Row(get=HQ_GET, post=signed_in(405), kwargs=cf.scoring_campaign),
    # Nothing chosen and no dates: a 400.
    "talent:campaign_publicise": Row(get=HQ_GET, post=HQ_POST_BAD, kwargs=cf.scoring_campaign),
    # The public notice has not ended: closing is refused by the campaign's state (409).
    "talent:campaign_close": Row(get=HQ_GET, post=signed_in(403, hq=409), kwargs=cf.publicised_campaign),
    "talent:nomination_detail": Row(
        get=signed_in(200, **NOMINEE_SEEN), post=signed_in(405), kwargs=cf.nomination_in("open")
    ),
    # Withdrawal needs a reason: an empty POST is a 400.
    "talent:nomination_withdraw": Row(
        get=signed_in(403, hq=200, unit_cadre=200, **NOMINEE_SEEN),
        post=signed_in(403, hq=400, unit_cadre=400, **NOMINEE_SEEN),
        kwargs=cf.nomination_in("open"),
    ),
    "talent:nomination_material": Row(
        get=signed_in(200, **NOMINEE_SEEN), post=signed_in(405), kwargs=cf.nomination_in("open", material=True)
    ),
    # Only the assigned expert scores; an empty scorecard is a 400.
    "talent:nomination_score": Row(
        get=signed_in(403, expert=200, **NOMINEE_SEEN),
        post=signed_in(403, expert=400, **NOMINEE_SEEN),
        kwargs=cf.nomination_in("scoring"),
    ),
    # Only the assigned expert declares a conflict of interest; it needs a relation and a reason (400).
    "talent:nomination_recuse": Row(
        get=signed_in(403, expert=200, **NOMINEE_SEEN),
        post=signed_in(403, expert=400, **NOMINEE_SEEN),
        kwargs=cf.nomination_in("scoring"),
    ),
    "talent:scoring_queue": Row(get=signed_in(403, expert=200), post=signed_in(403, expert=405)),
}
