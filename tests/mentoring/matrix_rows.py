"""Permission-matrix rows of this app (merged into tests/test_permission_matrix.MATRIX).

The target pairing is in a named studio of plant A1 led by studio_lead (tests/mentoring/fixtures):
HQ, branch A's cadre and the lead manage it; leadership sees it but may not act; branch B's cadre,
the other lead and the expert do not see it (404). Skill grades of its apprentice (in A1) are
recorded by HQ and branch A's cadre only. Refused POSTs change nothing (checked by the matrix).
"""

from ..matrix import Row, signed_in
from .fixtures import pairing_pk

UNSEEN = {"unit_cadre_other": 404, "other_lead": 404, "expert": 404}
VIEW = signed_in(200, **UNSEEN)
MANAGE_GET = signed_in(403, hq=200, unit_cadre=200, studio_lead=200, **UNSEEN)
# An empty form: the managers get the form back with messages (400), nothing is written.
MANAGE_POST = signed_in(403, hq=400, unit_cadre=400, studio_lead=400, **UNSEEN)
GRADE_GET = signed_in(403, hq=200, unit_cadre=200, **UNSEEN)
GRADE_POST = signed_in(403, hq=400, unit_cadre=400, **UNSEEN)
NO_LEADS = {"studio_lead": 403, "other_lead": 403, "expert": 403}

MENTORING_ROWS: dict = {
    "mentoring:pairing_list": Row(get=signed_in(200, expert=403), post=signed_in(405, expert=403)),
    # Without a studio or alliance the page asks which (200); posting nothing is refused (400).
    "mentoring:pairing_create": Row(
        get=signed_in(200, viewer=403, expert=403), post=signed_in(400, viewer=403, expert=403)
    ),
    "mentoring:pairing_detail": Row(get=VIEW, post=signed_in(405), kwargs=pairing_pk()),
    "mentoring:pairing_update": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=pairing_pk()),
    "mentoring:pairing_agreement": Row(get=VIEW, post=signed_in(405), kwargs=pairing_pk(with_file=True)),
    "mentoring:progress_create": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=pairing_pk()),
    "mentoring:placement_create": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=pairing_pk()),
    "mentoring:pairing_grade": Row(get=GRADE_GET, post=GRADE_POST, kwargs=pairing_pk()),
    "mentoring:pairing_assess": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=pairing_pk()),
    "mentoring:pairing_end": Row(get=MANAGE_GET, post=MANAGE_POST, kwargs=pairing_pk()),
    "mentoring:reward_rule": Row(get=signed_in(200, **NO_LEADS), post=signed_in(405, **NO_LEADS)),
    "mentoring:reward_rule_update": Row(get=signed_in(403, hq=200), post=signed_in(403, hq=400)),
    "mentoring:reward_list": Row(get=signed_in(200, **NO_LEADS), post=signed_in(405, **NO_LEADS)),
}
