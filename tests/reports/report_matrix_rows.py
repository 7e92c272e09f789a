"""Permission-matrix rows of the annual reports (merged into tests/test_permission_matrix.MATRIX).

The target report is branch A's, finished, asked for by branch A's cadre. HQ and leadership see
every report, branch A's cadre those of its subtree; branch B's cadre, the leads and the expert do
not see it (404). Asking for a report is for HQ and unit cadres; submitting for HQ and the cadres
of the report's subtree (leadership reads but does not submit: 403).
"""

from ..matrix import Row, signed_in
from .report_support import branch_a_report

NOT_SEEN = {"unit_cadre_other": 404, "studio_lead": 404, "other_lead": 404, "expert": 404}
VIEW = signed_in(200, **NOT_SEEN)
NO_POST = signed_in(405)
NOT_A_CADRE = {"studio_lead": 403, "other_lead": 403, "expert": 403}

REPORT_ROWS = {
    "reports:report_list": Row(get=signed_in(200, **NOT_A_CADRE), post=signed_in(405, **NOT_A_CADRE)),
    # An empty request is bad input: the form again with its errors (400).
    "reports:report_create": Row(
        get=signed_in(403, hq=200, unit_cadre=200, unit_cadre_other=200),
        post=signed_in(403, hq=400, unit_cadre=400, unit_cadre_other=400),
    ),
    "reports:report_detail": Row(get=VIEW, post=NO_POST, kwargs=branch_a_report),
    "reports:report_progress": Row(get=VIEW, post=NO_POST, kwargs=branch_a_report),
    "reports:report_xlsx": Row(get=VIEW, post=NO_POST, kwargs=branch_a_report),
    "reports:report_pdf": Row(get=VIEW, post=NO_POST, kwargs=branch_a_report),
    "reports:report_submit": Row(
        get=signed_in(403, hq=200, unit_cadre=200, **NOT_SEEN),
        post=signed_in(403, hq=302, unit_cadre=302, **NOT_SEEN),
        kwargs=branch_a_report,
    ),
}
